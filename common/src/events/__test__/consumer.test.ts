import { randomBytes, randomUUID } from 'node:crypto';
import { AckPolicy } from '@nats-io/jetstream';
import mongoose, { Schema } from 'mongoose';
import pino from 'pino';
import {
  consumerSettled,
  readEvents,
  startMongo,
  startNats,
  waitFor,
  type TestMongo,
  type TestNats,
} from '../../testing';
import { EVENT_STREAM, type EventData } from '../catalogue';
import { connectEventBus, type EventBus } from '../connection';
import { EventConsumer } from '../consumer';
import { buildEvent } from '../envelope';
import { Listener } from '../listener';
import { EventPublisher } from '../publisher';
import { applyVersioned } from '../replica';
import { resultFor } from '../versioning';

interface TicketReplica {
  _id: string;
  title: string;
  price: number;
  version: number;
}
const TicketReplica = mongoose.model<TicketReplica>(
  'ConsumerTicketReplica',
  new Schema<TicketReplica>({ _id: String, title: String, price: Number, version: Number }),
);

const lines: Array<{ msg: string }> = [];
const logger = pino(
  { level: 'debug' },
  { write: (l: string) => lines.push(JSON.parse(l) as { msg: string }) },
);

let applied: Array<[string, number]> = [];

class TicketCreatedListener extends Listener<'ticket.created'> {
  readonly subject = 'ticket.created' as const;
  async onMessage(data: EventData<'ticket.created'>) {
    const decision = await applyVersioned(TicketReplica, data, {
      title: data.title,
      price: data.price,
    });
    if (decision === 'apply') applied.push([data.id, data.version]);
    return resultFor(decision);
  }
}

class TicketUpdatedListener extends Listener<'ticket.updated'> {
  readonly subject = 'ticket.updated' as const;
  failuresLeft = 0;
  async onMessage(data: EventData<'ticket.updated'>) {
    if (this.failuresLeft > 0) {
      this.failuresLeft -= 1;
      throw new Error('transient failure');
    }
    const decision = await applyVersioned(TicketReplica, data, {
      title: data.title,
      price: data.price,
    });
    if (decision === 'apply') applied.push([data.id, data.version]);
    return resultFor(decision);
  }
}

let mongo: TestMongo;
let nats: TestNats;
let bus: EventBus;
let publisher: EventPublisher;
const updated = new TicketUpdatedListener();

function newConsumer(durable: string, maxDeliver = 5) {
  return new EventConsumer(bus, {
    durable,
    listeners: [new TicketCreatedListener(), updated],
    logger,
    ackWaitMs: 1000,
    maxDeliver,
    retryDelayMs: 20,
    maxRetryDelayMs: 100,
  });
}

function ticket(id: string, version: number, title = `t${version}`) {
  return { id, version, title, price: 10 + version, userId: 'owner' };
}

async function consumerIdle(durable: string) {
  return consumerSettled(bus.jsm, durable);
}

beforeAll(async () => {
  [mongo, nats] = await Promise.all([startMongo(), startNats()]);
  bus = await connectEventBus({ servers: nats.url, name: 'consumer-test', logger });
  publisher = new EventPublisher(bus.js);
});

afterAll(async () => {
  await bus.nc.close();
  await Promise.all([mongo.stop(), nats.stop()]);
});

beforeEach(() => {
  applied = [];
  lines.length = 0;
});

describe('EventConsumer version gating', () => {
  it('applies the next version, ignores duplicates and waits for a missing earlier version', async () => {
    const id = randomBytes(12).toString('hex');
    const consumer = newConsumer(`gate-${id}`);
    await consumer.start();
    try {
      const created = buildEvent('ticket.created', ticket(id, 0));
      await publisher.publish(created);
      // v2 arrives before v1: it must not be acked until v1 is applied.
      await publisher.publish(buildEvent('ticket.updated', ticket(id, 2)));
      await new Promise((r) => setTimeout(r, 150));
      expect((await TicketReplica.findById(id).lean())?.version).toBe(0);
      await publisher.publish(buildEvent('ticket.updated', ticket(id, 1)));
      // The same event again under a new message id (a replayed duplicate).
      await publisher.publish(buildEvent('ticket.updated', ticket(id, 1, 'stale copy')));

      await waitFor(async () => (await TicketReplica.findById(id).lean())?.version === 2);
      await consumerIdle(`gate-${id}`);
      expect(applied).toEqual([
        [id, 0],
        [id, 1],
        [id, 2],
      ]);
      expect((await TicketReplica.findById(id).lean())?.title).toBe('t2');
    } finally {
      await consumer.stop();
    }
  });

  it('terminates malformed messages and events that fail their schema, without looping', async () => {
    const durable = `malformed-${randomBytes(4).toString('hex')}`;
    const consumer = newConsumer(durable);
    // The server announces each termination, with the reason the consumer gave.
    const advisories = bus.nc.subscribe(
      `$JS.EVENT.ADVISORY.CONSUMER.MSG_TERMINATED.${EVENT_STREAM}.${durable}`,
    );
    const reasons: string[] = [];
    void (async () => {
      for await (const m of advisories)
        reasons.push((m.json() as { reason?: string }).reason ?? '');
    })();
    await consumer.start();
    try {
      await bus.js.publish('ticket.created', 'not json at all');
      const bad = buildEvent('ticket.created', ticket('x', 0));
      await bus.js.publish('ticket.created', JSON.stringify({ ...bad, data: { id: 'x' } }));
      await bus.js.publish(
        'ticket.created',
        JSON.stringify({ ...bad, id: randomUUID(), schemaVersion: 99 }),
      );
      await consumerIdle(durable);
      // Terminated once each: a redelivery loop would log them again.
      expect(lines.filter((l) => l.msg === 'malformed event terminated')).toHaveLength(1);
      expect(lines.filter((l) => l.msg === 'invalid event data terminated')).toHaveLength(1);
      expect(lines.filter((l) => l.msg === 'unknown schema version terminated')).toHaveLength(1);
      await waitFor(() => reasons.length === 3);
      expect(reasons).toEqual([
        'malformed event',
        'invalid event data',
        'unknown schema version 99',
      ]);
    } finally {
      advisories.unsubscribe();
      await consumer.stop();
    }
  });

  it('redelivers after a listener failure and applies the event once', async () => {
    const id = randomBytes(12).toString('hex');
    await publisher.publish(buildEvent('ticket.created', ticket(id, 0)));
    await publisher.publish(buildEvent('ticket.updated', ticket(id, 1)));
    updated.failuresLeft = 2;
    const durable = `retry-${id}`;
    const consumer = newConsumer(durable);
    await consumer.start();
    try {
      await waitFor(async () => (await TicketReplica.findById(id).lean())?.version === 1);
      expect(applied.filter(([x]) => x === id)).toEqual([
        [id, 0],
        [id, 1],
      ]);
      expect(lines.filter((l) => l.msg === 'listener failed')).toHaveLength(2);
    } finally {
      await consumer.stop();
    }
  });

  it('terminates and logs an event that keeps failing after its last delivery', async () => {
    const id = randomBytes(12).toString('hex');
    const durable = `poison-${id}`;
    await publisher.publish(buildEvent('ticket.updated', ticket(id, 7)));
    const consumer = newConsumer(durable, 3);
    await consumer.start();
    try {
      await waitFor(() =>
        lines.some((l) => l.msg === 'event gave up after its last delivery: terminated'),
      );
      await consumerIdle(durable);
    } finally {
      await consumer.stop();
    }
  });

  it('shares one durable consumer between two pods: each event is handled once', async () => {
    const durable = `shared-${randomBytes(4).toString('hex')}`;
    const [a, b] = [newConsumer(durable), newConsumer(durable)];
    await Promise.all([a.start(), b.start()]);
    const ids = Array.from({ length: 30 }, () => randomBytes(12).toString('hex'));
    try {
      await Promise.all(
        ids.map((id) => publisher.publish(buildEvent('ticket.created', ticket(id, 0)))),
      );
      await waitFor(() => ids.every((id) => applied.some(([x]) => x === id)));
      await consumerIdle(durable);
      expect(applied.filter(([x]) => ids.includes(x))).toHaveLength(30);
    } finally {
      await Promise.all([a.stop(), b.stop()]);
    }
  });

  it('lets a new service replay history from the start', async () => {
    const before = (await readEvents(nats.url, 'ticket.created')).length;
    const durable = `replay-${randomBytes(4).toString('hex')}`;
    const seen: string[] = [];
    const consumer = new EventConsumer(bus, {
      durable,
      logger,
      listeners: [
        new (class extends Listener<'ticket.created'> {
          readonly subject = 'ticket.created' as const;
          onMessage(_data: EventData<'ticket.created'>, { event }: { event: { id: string } }) {
            seen.push(event.id);
          }
        })(),
      ],
    });
    await consumer.start();
    try {
      await consumerIdle(durable);
      // Every well-formed ticket.created so far (the malformed ones were terminated, not counted).
      expect(seen.length).toBeGreaterThanOrEqual(before - 3);
      expect(new Set(seen).size).toBe(seen.length);
    } finally {
      await consumer.stop();
    }
  });

  it('updates an existing durable consumer when its settings change', async () => {
    const durable = `settings-${randomBytes(4).toString('hex')}`;
    await newConsumer(durable, 5).ensure();
    await newConsumer(durable, 9).ensure();
    const info = await bus.jsm.consumers.info(EVENT_STREAM, durable);
    expect(info.config.max_deliver).toBe(9);
  });
});

describe('EventConsumer concurrency', () => {
  it("handles other entities while one is busy, and one entity's events strictly in turn", async () => {
    const [held, free] = [randomBytes(12).toString('hex'), randomBytes(12).toString('hex')];
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const calls: Array<[string, number, string]> = [];
    class GatedUpdatedListener extends Listener<'ticket.updated'> {
      readonly subject = 'ticket.updated' as const;
      async onMessage(data: EventData<'ticket.updated'>) {
        if (data.title === 'hold') await gate;
        const decision = await applyVersioned(TicketReplica, data, {
          title: data.title,
          price: data.price,
        });
        calls.push([data.id, data.version, decision]);
        return resultFor(decision);
      }
    }
    const durable = `concurrent-${randomBytes(4).toString('hex')}`;
    const consumer = new EventConsumer(bus, {
      durable,
      listeners: [new TicketCreatedListener(), new GatedUpdatedListener()],
      logger,
      ackWaitMs: 30_000,
      retryDelayMs: 20,
      maxRetryDelayMs: 100,
      concurrency: 4,
    });
    await consumer.start();
    try {
      for (const event of [
        buildEvent('ticket.created', ticket(held, 0)),
        buildEvent('ticket.created', ticket(free, 0)),
        buildEvent('ticket.updated', ticket(held, 1, 'hold')),
        buildEvent('ticket.updated', ticket(held, 2)),
        buildEvent('ticket.updated', ticket(free, 1)),
        buildEvent('ticket.updated', ticket(free, 2)),
      ]) {
        await publisher.publish(event);
      }
      // The free ticket is brought up to date while the held one's first update waits.
      await waitFor(async () => (await TicketReplica.findById(free).lean())?.version === 2);
      expect((await TicketReplica.findById(held).lean())?.version).toBe(0);

      release();
      await waitFor(async () => (await TicketReplica.findById(held).lean())?.version === 2);
      await consumerIdle(durable);
      // Version 2 of the held ticket waited for version 1 in this process: never gated as future.
      expect(calls.filter(([id]) => id === held)).toEqual([
        [held, 1, 'apply'],
        [held, 2, 'apply'],
      ]);
      expect(calls.filter(([id]) => id === free)).toEqual([
        [free, 1, 'apply'],
        [free, 2, 'apply'],
      ]);
    } finally {
      release();
      await consumer.stop();
    }
  });
});

describe('consumerSettled (the tests’ wait for a consumer)', () => {
  it('waits for an event published just before it, not for the consumer’s pending count', async () => {
    const id = randomBytes(12).toString('hex');
    const durable = `settle-${id}`;
    const consumer = newConsumer(durable);
    // The durable exists but nothing pulls from it yet: the event cannot have been handled.
    await consumer.ensure();
    await publisher.publish(buildEvent('ticket.created', ticket(id, 0)));
    await expect(consumerSettled(bus.jsm, durable, { timeoutMs: 300 })).rejects.toThrow(
      'waitFor timed out',
    );

    await consumer.start();
    try {
      await publisher.publish(buildEvent('ticket.updated', ticket(id, 1)));
      await consumerSettled(bus.jsm, durable);
      expect((await TicketReplica.findById(id).lean())?.version).toBe(1);
    } finally {
      await consumer.stop();
    }
  });

  it('refuses a consumer with a subject filter, whose delivered sequence stops short', async () => {
    const durable = `filtered-${randomBytes(6).toString('hex')}`;
    await bus.jsm.consumers.add(EVENT_STREAM, {
      durable_name: durable,
      filter_subject: 'ticket.created',
      ack_policy: AckPolicy.Explicit,
    });
    await expect(consumerSettled(bus.jsm, durable)).rejects.toThrow('filters subjects');
  });
});
