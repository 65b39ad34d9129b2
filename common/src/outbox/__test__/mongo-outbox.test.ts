import mongoose, { Schema } from 'mongoose';
import pino from 'pino';
import { connectEventBus, type EventBus } from '../../events/connection';
import { EventPublisher } from '../../events/publisher';
import {
  readEvents,
  startMongo,
  startNats,
  waitFor,
  type TestMongo,
  type TestNats,
} from '../../testing';
import { MongoOutboxStore, outboxPlugin, recordEvent, type OutboxFields } from '../mongo-outbox';
import { retryOnConflict } from '../retry-on-conflict';
import { OutboxRelay } from '../relay';
import type { EventEnvelope } from '../../events/envelope';

interface Thing extends OutboxFields {
  title: string;
  price: number;
  userId: string;
  version: number;
}

const schema = new Schema<Thing>(
  { title: String, price: Number, userId: String },
  {
    optimisticConcurrency: true,
    versionKey: 'version',
  },
);
outboxPlugin(schema);
const Thing = mongoose.model<Thing>('OutboxThing', schema);
const logger = pino({ level: 'silent' });

let mongo: TestMongo;
let nats: TestNats;
let bus: EventBus;

beforeAll(async () => {
  [mongo, nats] = await Promise.all([startMongo(), startNats()]);
  bus = await connectEventBus({ servers: nats.url, name: 'outbox-test', logger });
});

afterAll(async () => {
  await bus.nc.close();
  await Promise.all([mongo.stop(), nats.stop()]);
});

function ticketData(doc: mongoose.HydratedDocument<Thing>) {
  return {
    id: doc.id as string,
    version: doc.version ?? 0,
    title: doc.title,
    price: doc.price,
    userId: doc.userId,
  };
}

async function createWithEvent(title: string) {
  const doc = new Thing({ title, price: 10, userId: 'u1' });
  recordEvent(doc, 'ticket.created', ticketData(doc));
  await doc.save();
  return doc;
}

describe('MongoOutboxStore + OutboxRelay', () => {
  it('publishes an event left in the document by a crash before publishing, exactly once', async () => {
    // The "crash": the write committed, no relay ran.
    const doc = await createWithEvent('left behind');
    const stored = await Thing.findById(doc.id).lean();
    expect(stored?.outbox).toHaveLength(1);

    const relay = new OutboxRelay({
      store: new MongoOutboxStore([Thing]),
      publisher: new EventPublisher(bus.js),
      logger,
    });
    expect(await relay.flush()).toBe(1);
    expect(await relay.flush()).toBe(0);

    const events = await readEvents(nats.url, 'ticket.created');
    const mine = events.filter((e) => e.data.id === doc.id);
    expect(mine).toHaveLength(1);
    expect(mine[0]?.id).toBe(stored?.outbox[0]?.id);
    expect((await Thing.findById(doc.id).lean())?.outbox).toHaveLength(0);
  });

  it('drops the second publish when a crash came between publishing and marking it sent', async () => {
    const doc = await createWithEvent('published twice');
    const event = (await Thing.findById(doc.id).lean())?.outbox[0] as EventEnvelope;
    const publisher = new EventPublisher(bus.js);
    // First attempt published, then the process died before removing the event.
    const first = await publisher.publish(event);
    const relay = new OutboxRelay({
      store: new MongoOutboxStore([Thing]),
      publisher,
      logger,
    });
    await relay.flush();

    const events = (await readEvents(nats.url)).filter((e) => e.id === event.id);
    expect(first.duplicate).toBe(false);
    expect(events).toHaveLength(1);
  });

  it('publishes an entity’s events in the order they were written', async () => {
    const doc = await createWithEvent('ordered');
    doc.title = 'ordered v1';
    recordEvent(doc, 'ticket.updated', { ...ticketData(doc), version: doc.version + 1 });
    await doc.save();
    doc.title = 'ordered v2';
    recordEvent(doc, 'ticket.updated', { ...ticketData(doc), version: doc.version + 1 });
    await doc.save();

    const relay = new OutboxRelay({
      store: new MongoOutboxStore([Thing]),
      publisher: new EventPublisher(bus.js),
      logger,
    });
    await relay.flush();
    const versions = (await readEvents(nats.url))
      .filter((e) => e.data.id === doc.id)
      .map((e) => [e.subject, e.data.version]);
    expect(versions).toEqual([
      ['ticket.created', 0],
      ['ticket.updated', 1],
      ['ticket.updated', 2],
    ]);
  });

  it('retries with backoff while NATS is down and publishes once it is back', async () => {
    const failing = {
      calls: 0,
      async publish() {
        this.calls += 1;
        throw new Error('nats down');
      },
    };
    const doc = await createWithEvent('waits for nats');
    const relay = new OutboxRelay({
      store: new MongoOutboxStore([Thing]),
      publisher: failing,
      logger,
    });
    await expect(relay.flush()).rejects.toThrow('nats down');
    expect((await Thing.findById(doc.id).lean())?.outbox).toHaveLength(1);

    const working = new OutboxRelay({
      store: new MongoOutboxStore([Thing]),
      publisher: new EventPublisher(bus.js),
      logger,
      pollIntervalMs: 20,
    });
    working.start();
    try {
      await waitFor(async () => (await Thing.findById(doc.id).lean())?.outbox.length === 0);
    } finally {
      await working.stop();
    }
    expect((await readEvents(nats.url)).filter((e) => e.data.id === doc.id)).toHaveLength(1);
  });
});

/** Three events of one entity (versions 0, 1, 2) and one event each of `others` entities. */
async function oneBusyEntityAndOthers(others: number) {
  const busy = await createWithEvent('busy entity');
  for (let i = 0; i < 2; i++) {
    busy.price += 1;
    recordEvent(busy, 'ticket.updated', { ...ticketData(busy), version: busy.version + 1 });
    await busy.save();
  }
  const rest = await Promise.all(
    Array.from({ length: others }, (_, i) => createWithEvent(`other entity ${i}`)),
  );
  return { busy, rest };
}

describe('entities publish side by side', () => {
  it('publishes other entities’ events while one entity’s publish waits, and keeps its order', async () => {
    const { busy, rest } = await oneBusyEntityAndOthers(8);
    const real = new EventPublisher(bus.js);
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const sent: EventEnvelope[] = [];
    const publisher = {
      async publish(event: EventEnvelope) {
        // The busy entity's first publish hangs (a slow ack) until the others have gone out.
        if (event.data.id === busy.id && event.data.version === 0) await gate;
        sent.push(event);
        return real.publish(event);
      },
    };
    const relay = new OutboxRelay({ store: new MongoOutboxStore([Thing]), publisher, logger });
    const flushed = relay.flush();

    const restIds = new Set(rest.map((doc) => doc.id as string));
    await waitFor(() => sent.filter((e) => restIds.has(e.data.id as string)).length === 8);
    expect(sent.filter((e) => e.data.id === busy.id)).toHaveLength(0);
    release();
    await flushed;

    const versions = (await readEvents(nats.url))
      .filter((e) => e.data.id === busy.id)
      .map((e) => e.data.version);
    expect(versions).toEqual([0, 1, 2]);
    expect(
      await Thing.countDocuments({
        _id: { $in: [busy.id, ...restIds] },
        'outbox.id': { $exists: true },
      }),
    ).toBe(0);
  });

  it('holds back only the later events of an entity whose publish failed', async () => {
    const { busy, rest } = await oneBusyEntityAndOthers(4);
    const real = new EventPublisher(bus.js);
    let failures = 0;
    const publisher = {
      async publish(event: EventEnvelope) {
        if (event.data.id === busy.id && event.data.version === 1 && failures === 0) {
          failures += 1;
          throw new Error('ack timed out');
        }
        return real.publish(event);
      },
    };
    const relay = new OutboxRelay({ store: new MongoOutboxStore([Thing]), publisher, logger });
    await expect(relay.flush()).rejects.toThrow('ack timed out');

    const published = () => readEvents(nats.url);
    const afterFailure = await published();
    for (const doc of rest) {
      expect(afterFailure.filter((e) => e.data.id === doc.id)).toHaveLength(1);
    }
    // Version 0 went out; 1 failed, so 2 waited behind it.
    expect(afterFailure.filter((e) => e.data.id === busy.id).map((e) => e.data.version)).toEqual([
      0,
    ]);
    expect((await Thing.findById(busy.id).lean())?.outbox).toHaveLength(2);

    await relay.flush();
    expect(
      (await published()).filter((e) => e.data.id === busy.id).map((e) => e.data.version),
    ).toEqual([0, 1, 2]);
  });
});

/** A relay of its own over `Thing`, as each pod of a service runs one. */
const relayOf = (store: MongoOutboxStore, pollIntervalMs?: number) =>
  new OutboxRelay({ store, publisher: new EventPublisher(bus.js), logger, pollIntervalMs });

describe('several relays on one database (pods of one service)', () => {
  it('publishes an event recorded before a relay run and saved after it', async () => {
    const relay = relayOf(new MongoOutboxStore([Thing]));
    const created = await createWithEvent('saved while the relay runs');
    await relay.flush();

    // A route records its event, the relay runs before the route's save lands, then the save.
    const doc = (await Thing.findById(created.id))!;
    recordEvent(doc, 'ticket.updated', { ...ticketData(doc), version: doc.version + 1 });
    expect(await relay.flush()).toBe(0);
    doc.price = 99;
    await doc.save();
    expect(await relay.flush()).toBe(1);

    const versions = (await readEvents(nats.url))
      .filter((e) => e.data.id === doc.id)
      .map((e) => e.data.version);
    expect(versions).toEqual([0, 1]);
  });

  it('publishes what another process wrote', async () => {
    const relay = relayOf(new MongoOutboxStore([Thing]));
    await relay.flush();
    // Written by "another pod": straight into the collection, unknown to this process.
    const other = new Thing({ title: 'other pod', price: 1, userId: 'u2' });
    const event = recordEvent(
      { outbox: [] as EventEnvelope[] },
      'ticket.created',
      ticketData(other),
    );
    await Thing.collection.insertOne({ ...other.toObject(), outbox: [event] });

    expect(await relay.flush()).toBe(1);
    expect((await readEvents(nats.url)).filter((e) => e.id === event.id)).toHaveLength(1);
  });

  it('publishes each event once and removes it once when two relays flush at the same time', async () => {
    const docs = await Promise.all(
      Array.from({ length: 30 }, (_, i) => createWithEvent(`both ${i}`)),
    );
    for (const doc of docs.slice(0, 10)) {
      doc.price += 1;
      recordEvent(doc, 'ticket.updated', { ...ticketData(doc), version: doc.version + 1 });
      await doc.save();
    }
    const [a, b] = [relayOf(new MongoOutboxStore([Thing])), relayOf(new MongoOutboxStore([Thing]))];
    await Promise.all([a.flush(), b.flush()]);

    const ids = new Set(docs.map((doc) => doc.id as string));
    const published = (await readEvents(nats.url)).filter((e) => ids.has(e.data.id as string));
    expect(published).toHaveLength(40);
    expect(new Set(published.map((e) => e.id)).size).toBe(40);
    for (const doc of docs.slice(0, 10)) {
      const mine = published.filter((e) => e.data.id === doc.id).map((e) => e.data.version);
      expect(mine).toEqual([0, 1]);
    }
    expect(
      await Thing.countDocuments({ _id: { $in: [...ids] }, 'outbox.id': { $exists: true } }),
    ).toBe(0);
  });
});

describe('concurrent writes while relays run', () => {
  it('loses no event and no update when saves of two pods and their relays interleave', async () => {
    const doc = await createWithEvent('busy');
    const relays = [
      relayOf(new MongoOutboxStore([Thing]), 5),
      relayOf(new MongoOutboxStore([Thing]), 7),
    ];
    for (const relay of relays) relay.start();
    try {
      // No lock anywhere: each writer reads, changes and saves, and reads again on a conflict.
      await Promise.all(
        Array.from({ length: 12 }, (_, i) =>
          retryOnConflict(async () => {
            const fresh = await Thing.findById(doc.id);
            if (!fresh) throw new Error('missing');
            fresh.price += 1;
            fresh.title = `writer ${i}`;
            recordEvent(fresh, 'ticket.updated', {
              ...ticketData(fresh),
              version: fresh.version + 1,
            });
            await fresh.save();
            relays[i % 2]!.kick();
          }),
        ),
      );
      await waitFor(async () => (await Thing.findById(doc.id).lean())?.outbox.length === 0);
    } finally {
      await Promise.all(relays.map((relay) => relay.stop()));
    }
    const events = (await readEvents(nats.url)).filter((e) => e.data.id === doc.id);
    expect(events.map((e) => e.data.version)).toEqual(Array.from({ length: 13 }, (_, i) => i));
    // Every writer's change is in: none was lost to another's save.
    expect(events.map((e) => e.data.price)).toEqual(Array.from({ length: 13 }, (_, i) => 10 + i));
    expect(await Thing.findById(doc.id).lean()).toMatchObject({ version: 12, price: 22 });
  });
});

describe('optimistic concurrency on a model', () => {
  it('numbers successive saves 0, 1, 2', async () => {
    const doc = await Thing.create({ title: 'a', price: 1, userId: 'u' });
    expect(doc.version).toBe(0);
    doc.price = 2;
    await doc.save();
    expect(doc.version).toBe(1);
    doc.price = 3;
    await doc.save();
    expect(doc.version).toBe(2);
  });

  it('rejects a save from a stale copy', async () => {
    const doc = await Thing.create({ title: 'a', price: 1, userId: 'u' });
    const first = await Thing.findById(doc.id);
    const second = await Thing.findById(doc.id);
    first!.price = 10;
    second!.price = 20;
    await first!.save();
    await expect(second!.save()).rejects.toThrow(mongoose.Error.VersionError);
    expect((await Thing.findById(doc.id))?.price).toBe(10);
  });
});
