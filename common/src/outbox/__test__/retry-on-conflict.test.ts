import mongoose, { Schema } from 'mongoose';
import { startMongo, type TestMongo } from '../../testing';
import { retryOnConflict } from '../retry-on-conflict';

interface Counter {
  count: number;
  writers: string[];
  version: number;
}

const Counter = mongoose.model<Counter>(
  'RetryCounter',
  new Schema<Counter>(
    { count: Number, writers: [String] },
    { optimisticConcurrency: true, versionKey: 'version' },
  ),
);

let mongo: TestMongo;
beforeAll(async () => {
  mongo = await startMongo();
});
afterAll(async () => {
  await mongo.stop();
});

/** A read-modify-save as the routes write them: read, change in code, save guarded by version. */
const increment = (id: string, writer: string) => async () => {
  const doc = await Counter.findById(id);
  if (!doc) throw new Error('missing');
  doc.count += 1;
  doc.writers.push(writer);
  await doc.save();
  return doc.version;
};

it('loses none of 20 concurrent read-modify-saves of one document', async () => {
  const { id } = await Counter.create({ count: 0, writers: [] });
  const versions = await Promise.all(
    Array.from({ length: 20 }, (_, i) => retryOnConflict(increment(id, `w${i}`))),
  );
  const stored = await Counter.findById(id).lean();
  expect(stored).toMatchObject({ count: 20, version: 20 });
  expect([...stored!.writers].sort()).toEqual(Array.from({ length: 20 }, (_, i) => `w${i}`).sort());
  // Each save got a version of its own.
  expect([...versions].sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
});

it('without it, concurrent saves of one document meet VersionError and the store keeps one', async () => {
  const { id } = await Counter.create({ count: 0, writers: [] });
  const results = await Promise.allSettled(
    Array.from({ length: 5 }, (_, i) => increment(id, `w${i}`)()),
  );
  const conflicts = results.filter(
    (r) => r.status === 'rejected' && (r.reason as Error).name === 'VersionError',
  );
  const stored = await Counter.findById(id).lean();
  expect(conflicts.length).toBe(5 - stored!.count);
  expect(stored!.writers).toHaveLength(stored!.count);
});

it('gives up with the VersionError after its attempts, and never retries other errors', async () => {
  let calls = 0;
  const conflict = Object.assign(new Error('conflict'), { name: 'VersionError' });
  await expect(
    retryOnConflict(async () => {
      calls += 1;
      throw conflict;
    }),
  ).rejects.toBe(conflict);
  expect(calls).toBe(12);

  calls = 0;
  await expect(
    retryOnConflict(async () => {
      calls += 1;
      throw new Error('other');
    }),
  ).rejects.toThrow('other');
  expect(calls).toBe(1);
});
