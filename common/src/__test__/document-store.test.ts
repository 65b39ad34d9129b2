import mongoose, { Schema } from 'mongoose';
import { isStoreDeadlock, retryOnConflict } from '../outbox/retry-on-conflict';
import { startMongo, type TestMongo } from '../testing';

/*
 * What the services rely on the document store for, shown on the store the tests run
 * (FerretDB v2 + DocumentDB where no mongod exists, mongod elsewhere): single-document updates
 * are isolated, so a version guard lets exactly one of many concurrent writers through, unique
 * indexes hold under concurrent inserts, and the outbox's guarded `$pop` removes a head once.
 * With these, no per-process lock is needed and several pods can share one database.
 */

let mongo: TestMongo;

beforeAll(async () => {
  mongo = await startMongo();
});

afterAll(async () => {
  await mongo.stop();
});

const collection = (name: string) => mongoose.connection.db!.collection(name);

describe('the document store', () => {
  it('lets exactly one of 20 concurrent version-guarded updates through, round after round', async () => {
    const docs = collection('guarded');
    const { insertedId } = await docs.insertOne({ version: 0, writer: null });
    for (let round = 0; round < 20; round += 1) {
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, writer) =>
          docs.updateOne(
            { _id: insertedId, version: round },
            { $set: { writer }, $inc: { version: 1 } },
          ),
        ),
      );
      expect(results.reduce((n, r) => n + r.modifiedCount, 0)).toBe(1);
    }
    expect(await docs.findOne({ _id: insertedId })).toMatchObject({ version: 20 });
  });

  it('applies every one of 200 concurrent $inc updates of one document', async () => {
    const docs = collection('counters');
    const { insertedId } = await docs.insertOne({ n: 0 });
    await Promise.all(
      Array.from({ length: 200 }, () => docs.updateOne({ _id: insertedId }, { $inc: { n: 1 } })),
    );
    expect(await docs.findOne({ _id: insertedId })).toMatchObject({ n: 200 });
  });

  it('keeps one of 20 concurrent inserts of one value under a unique index; a retry of any refused one gets 11000', async () => {
    const docs = collection('unique');
    await docs.createIndex({ email: 1 }, { unique: true });
    const insert = () => docs.insertOne({ email: 'same@example.test' });
    const results = await Promise.allSettled(Array.from({ length: 20 }, insert));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    // Refused with the duplicate key, or (FerretDB + DocumentDB, now and then) with a deadlock
    // PostgreSQL broke: retryOnConflict tries those again, and then they get 11000.
    const refused = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as Error] : []));
    expect(
      refused.every((err) => (err as { code?: number }).code === 11000 || isStoreDeadlock(err)),
    ).toBe(true);
    const retried = await Promise.allSettled(refused.map(() => retryOnConflict(insert)));
    expect(
      retried.map((r) => r.status === 'rejected' && (r.reason as { code?: number }).code),
    ).toEqual(Array(19).fill(11000));
    expect(await docs.countDocuments({ email: 'same@example.test' })).toBe(1);
  });

  it('removes the outbox head once when 10 relays pop it concurrently', async () => {
    const docs = collection('outboxes');
    const { insertedId } = await docs.insertOne({
      outbox: [{ id: 'a' }, { id: 'b' }, { id: 'c' }],
    });
    const results = await Promise.all(
      Array.from({ length: 10 }, () =>
        docs.updateOne({ _id: insertedId, 'outbox.0.id': 'a' }, { $pop: { outbox: -1 } }),
      ),
    );
    expect(results.reduce((n, r) => n + r.modifiedCount, 0)).toBe(1);
    expect((await docs.findOne({ _id: insertedId }))?.outbox).toEqual([{ id: 'b' }, { id: 'c' }]);
  });

  it('loses no event when saves push to an outbox while a relay pops its head', async () => {
    const schema = new Schema(
      { outbox: [{ _id: false, id: String }], title: String },
      { optimisticConcurrency: true, versionKey: 'version' },
    );
    const Doc = mongoose.model('StorePushPop', schema);
    const doc = await Doc.create({ outbox: [], title: 'x' });
    const pushed = Array.from({ length: 30 }, (_, i) => `e${i}`);
    const popped: string[] = [];
    // Writers append through mongoose's save ($push); a "relay" removes heads it has seen.
    const writers = pushed.map(async (id) => {
      for (;;) {
        const fresh = await Doc.findById(doc._id);
        fresh!.outbox.push({ id });
        try {
          await fresh!.save();
          return;
        } catch (err) {
          if (!(err instanceof mongoose.Error.VersionError)) throw err;
        }
      }
    });
    let writing = true;
    const relay = (async () => {
      while (writing || ((await Doc.findById(doc._id).lean())?.outbox.length ?? 0) > 0) {
        const head = (await Doc.findById(doc._id).lean())?.outbox[0]?.id;
        if (!head) continue;
        const result = await Doc.updateOne(
          { _id: doc._id, 'outbox.0.id': head },
          { $pop: { outbox: -1 } },
        );
        if (result.modifiedCount === 1) popped.push(head);
      }
    })();
    await Promise.all(writers);
    writing = false;
    await relay;
    expect(popped.sort()).toEqual([...pushed].sort());
  });

  it('answers one of several concurrent mongoose saves of stale copies and refuses the rest', async () => {
    const schema = new Schema(
      { title: String },
      { optimisticConcurrency: true, versionKey: 'version' },
    );
    const Doc = mongoose.model('StoreStaleCopies', schema);
    const created = await Doc.create({ title: 'first' });
    const copies = await Promise.all(Array.from({ length: 10 }, () => Doc.findById(created._id)));
    const results = await Promise.allSettled(
      copies.map((copy, i) => {
        copy!.title = `writer ${i}`;
        return copy!.save();
      }),
    );
    const saved = results.filter((r) => r.status === 'fulfilled');
    expect(saved).toHaveLength(1);
    for (const r of results) {
      if (r.status === 'rejected') expect(r.reason).toBeInstanceOf(mongoose.Error.VersionError);
    }
    const stored = await Doc.findById(created._id).lean();
    expect(stored).toMatchObject({ version: 1 });
    expect((saved[0] as PromiseFulfilledResult<{ title: string }>).value.title).toBe(stored!.title);
  });
});
