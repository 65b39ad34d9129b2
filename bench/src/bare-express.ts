import { randomUUID } from 'node:crypto';
import express, { type RequestHandler } from 'express';

/*
 * The baseline every HTTP figure is divided by: Express 5 answering a small JSON body with
 * res.json, with no middleware and no store. Run as its own process, like a service; prints its
 * port.
 *
 * With a ceiling's name (argv[2]) the same server first does the one thing a kind of route
 * cannot do without, with the store's own driver and nothing of the suite around it: what bare
 * Express reaches then is as far as any route of that kind can get on this machine.
 *
 *   redis        one round trip of the cross-pod rate limit (INCR and PEXPIRE in one script)
 *   store-by-id  findOne by _id of the ticket the bench reads (BENCH_TICKET_ID)
 *   store-page   the tickets list's own query: listed tickets, newest first, 21, its fields
 *   store-write  insertOne of a ticket with its outbox event, into a collection indexed as
 *                tickets is (dropped on SIGTERM)
 *
 * And one for memory only: `libraries` loads what every service loads (`@taskforge/common`,
 * which brings Express, mongoose and the MongoDB driver, ioredis, NATS, pg, zod, pino,
 * prom-client, helmet, jsonwebtoken …) and answers like bare Express: its RSS is what a service
 * holds before it has opened a connection or served a request.
 *
 * Run as plain JavaScript (http.ts strips the types first): a TypeScript loader in the process
 * would count in its RSS.
 */
const body = { currentUser: { id: '0123456789abcdef01234567', email: 'a@b.test' } };

const CEILINGS = ['redis', 'store-by-id', 'store-page', 'store-write', 'libraries'] as const;
export type Ceiling = (typeof CEILINGS)[number];

async function handlerFor(
  ceiling: Ceiling,
  env: NodeJS.ProcessEnv,
): Promise<{ handler: RequestHandler; close(): Promise<void> }> {
  if (ceiling === 'libraries') {
    await import('@taskforge/common');
    return { handler: (_req, res) => void res.json(body), close: () => Promise.resolve() };
  }
  // Loaded only by the ceilings that use them: bare Express holds Express alone.
  if (ceiling === 'redis') {
    const { Redis } = await import('ioredis');
    const redis = new Redis(env.REDIS_URL ?? '', { maxRetriesPerRequest: 1 });
    const script = `local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return n`;
    return {
      handler: async (_req, res) => {
        await redis.eval(script, 1, 'bench-ceiling:127.0.0.1', '60000');
        res.json(body);
      },
      close: async () => void (await redis.quit()),
    };
  }
  const { default: mongoose } = await import('mongoose');
  const client = await new mongoose.mongo.MongoClient(env.MONGO_URL ?? '').connect();
  const tickets = client.db().collection('tickets');
  if (ceiling === 'store-by-id') {
    const id = new mongoose.mongo.ObjectId(env.BENCH_TICKET_ID);
    return {
      handler: async (_req, res) => {
        res.json(await tickets.findOne({ _id: id }));
      },
      close: () => client.close(),
    };
  }
  if (ceiling === 'store-page') {
    const fields = { title: 1, price: 1, userId: 1, orderId: 1, version: 1, createdAt: 1 };
    return {
      handler: async (_req, res) => {
        const page = await tickets
          .find({ $and: [{ orderId: null, deletedAt: null }] }, { projection: fields })
          .sort({ createdAt: -1, _id: -1 })
          .limit(21)
          .toArray();
        res.json(page.slice(0, 20));
      },
      close: () => client.close(),
    };
  }
  const written = client.db().collection(`bench_ceiling_${process.pid}`);
  for (const index of await tickets.listIndexes().toArray()) {
    if (index.name === '_id_') continue;
    const { key, name, v: _v, ns: _ns, ...options } = index as Record<string, unknown>;
    await written.createIndex(key as Record<string, 1 | -1>, { ...options, name: String(name) });
  }
  let n = 0;
  return {
    handler: async (_req, res) => {
      const now = new Date();
      const id = new mongoose.mongo.ObjectId();
      n += 1;
      const doc = {
        _id: id,
        title: `Ceiling ticket ${n}`,
        price: 25,
        userId: '0123456789abcdef01234567',
        orderId: null,
        deletedAt: null,
        version: 0,
        createdAt: now,
        updatedAt: now,
        outbox: [
          {
            id: randomUUID(),
            subject: 'ticket.created',
            schemaVersion: 1,
            occurredAt: now.toISOString(),
            data: { id: id.toHexString(), title: `Ceiling ticket ${n}`, price: 25, version: 0 },
            metadata: {
              actorId: '0123456789abcdef01234567',
              requestId: randomUUID(),
              ip: '',
              userAgent: '',
            },
          },
        ],
      };
      await written.insertOne(doc);
      res.status(201).json({ id: id.toHexString() });
    },
    close: async () => {
      await written.drop().catch(() => undefined);
      await client.close();
    },
  };
}

async function main(): Promise<void> {
  const ceiling = process.argv[2] as Ceiling | undefined;
  if (ceiling !== undefined && !CEILINGS.includes(ceiling)) {
    throw new Error(`no ceiling named ${ceiling} (${CEILINGS.join(', ')})`);
  }
  const app = express();
  const work = ceiling ? await handlerFor(ceiling, process.env) : undefined;
  app.all('/', work?.handler ?? ((_req, res) => void res.json(body)));
  const server = app.listen(0, '127.0.0.1', () => {
    const address = server.address();
    process.stdout.write(`${typeof address === 'object' && address ? address.port : 0}\n`);
  });
  process.on('SIGTERM', () => {
    server.close(() => {
      void (work?.close() ?? Promise.resolve()).finally(() => process.exit(0));
    });
    server.closeAllConnections();
  });
}

main().catch((err: unknown) => {
  process.stderr.write(`bare Express: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
