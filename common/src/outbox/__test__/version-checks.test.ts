import mongoose, { Schema } from 'mongoose';
import { startMongo, type TestMongo } from '../../testing';
import { withDocumentLock } from '../document-lock';
import { isFerretDb } from '../store-kind';

interface Seat {
  label: string;
  price: number;
  version: number;
}

const Seat = mongoose.model<Seat>(
  'VersionCheckSeat',
  new Schema<Seat>(
    { label: String, price: Number },
    { optimisticConcurrency: true, versionKey: 'version' },
  ),
);

let mongo: TestMongo;
/** The filters of the update commands mongoose sent to the server, by collection. */
let updates: Array<{ collection: string; filter: Record<string, unknown> }> = [];

beforeAll(async () => {
  mongo = await startMongo(); // installs the checks, as the services do once connected
  mongoose.set('debug', (collection: string, method: string, filter: unknown) => {
    if (method === 'updateOne') {
      updates.push({ collection, filter: filter as Record<string, unknown> });
    }
  });
});
afterAll(async () => {
  mongoose.set('debug', false);
  await mongo.stop();
});
beforeEach(() => {
  updates = [];
});

const lockedSave = (seat: mongoose.HydratedDocument<Seat>) =>
  withDocumentLock(`seat:${seat.id as string}`, () => seat.save());

it('numbers successive saves and stores each', async () => {
  const seat = await Seat.create({ label: 'A1', price: 10 });
  for (const price of [11, 12, 13]) {
    seat.price = price;
    await lockedSave(seat);
  }
  expect(seat.version).toBe(3);
  expect(await Seat.findById(seat.id).lean()).toMatchObject({ price: 13, version: 3 });
});

it('rejects a save from a stale copy and keeps the first write', async () => {
  const seat = await Seat.create({ label: 'B2', price: 10 });
  const [first, second] = await Promise.all([Seat.findById(seat.id), Seat.findById(seat.id)]);
  first!.price = 20;
  second!.label = 'B2 (stale)';
  await lockedSave(first!);
  await expect(lockedSave(second!)).rejects.toThrow(mongoose.Error.VersionError);
  expect(await Seat.findById(seat.id).lean()).toMatchObject({
    label: 'B2',
    price: 20,
    version: 1,
  });
});

it('finds the document of a versioned save by _id alone on FerretDB, by _id and version elsewhere', async () => {
  const seat = await Seat.create({ label: 'C3', price: 10 });
  seat.price = 30;
  await lockedSave(seat);

  const saves = updates.filter((u) => u.collection === Seat.collection.collectionName);
  expect(saves).toHaveLength(1);
  const filterKeys = Object.keys(saves[0]!.filter).sort();
  expect(filterKeys).toEqual(
    (await isFerretDb(mongoose.connection)) ? ['_id'] : ['_id', 'version'],
  );
});

it('leaves other filters as they are', async () => {
  const seat = await Seat.create({ label: 'D4', price: 10 });
  const stale = await Seat.updateOne({ _id: seat._id, version: { $gt: 5 } }, { price: 1 });
  expect(stale.matchedCount).toBe(0);
  const many = await Seat.updateOne({ _id: seat._id, label: 'D4' }, { price: 40 });
  expect(many.matchedCount).toBe(1);
  expect(updates.map((u) => Object.keys(u.filter).sort())).toEqual([
    ['_id', 'version'],
    ['_id', 'label'],
  ]);
  // A guard by `_id` and version through a query gets the same answers as the atomic update.
  expect((await Seat.updateOne({ _id: seat._id, version: 7 }, { price: 2 })).matchedCount).toBe(0);
  expect((await Seat.updateOne({ _id: seat._id, version: 0 }, { price: 50 })).matchedCount).toBe(1);
  expect(await Seat.findById(seat.id).lean()).toMatchObject({ price: 50 });
});
