import mongoose, { Schema } from 'mongoose';
import { ConflictError, NotFoundError } from '../../errors';
import { startMongo, type TestMongo } from '../../testing';
import { editDocument } from '../edit-document';
import { outboxPlugin, type OutboxFields } from '../mongo-outbox';

interface Seat extends OutboxFields {
  title: string;
  price: number;
  userId: string;
  version: number;
}

const schema = new Schema<Seat>(
  { title: String, price: Number, userId: String },
  { optimisticConcurrency: true, versionKey: 'version' },
);
outboxPlugin(schema);
const Seat = mongoose.model<Seat>('EditDocumentSeat', schema);

/** A one-off request: written once with its event, never versioned. */
interface Hold extends OutboxFields {
  seatId: string;
}
const holdSchema = new Schema<Hold>({ seatId: String }, { versionKey: false });
outboxPlugin(holdSchema);
const Hold = mongoose.model<Hold>('EditDocumentHold', holdSchema);
const holdEvent = (hold: Hold & { _id: unknown }, version: number) => ({
  subject: 'ticket.created' as const,
  data: { id: String(hold._id), version, title: hold.seatId, price: 0, userId: 'u1' },
});

let mongo: TestMongo;
beforeAll(async () => {
  mongo = await startMongo();
});
afterAll(() => mongo.stop());

async function newSeat() {
  return Seat.create({ title: 'Row 1', price: 10, userId: 'u1' });
}
const loadSeat = (id: unknown) => async () => {
  const seat = await Seat.findById(id);
  if (!seat) throw new NotFoundError('Seat not found');
  return seat;
};
const seatEvent = (seat: Seat & { _id: unknown }, version: number) => ({
  subject: 'ticket.updated' as const,
  data: {
    id: String(seat._id),
    version,
    title: seat.title,
    price: seat.price,
    userId: seat.userId,
  },
});

describe('editDocument', () => {
  it('saves the change with its event at the version the save gives, and tells the relay once', async () => {
    const seat = await newSeat();
    let told = 0;
    const saved = await editDocument(
      loadSeat(seat._id),
      (doc, next) => {
        doc.price = 12;
        return [seatEvent(doc, next)];
      },
      { metadata: { actorId: 'u1' }, eventsRecorded: () => (told += 1) },
    );
    expect(told).toBe(1);
    const stored = await Seat.findById(seat._id).lean();
    expect(stored).toMatchObject({ price: 12, version: saved.version });
    expect(stored?.outbox.map((e) => [e.subject, e.data.version, e.metadata.actorId])).toEqual([
      ['ticket.updated', saved.version, 'u1'],
    ]);
  });

  it('creates a document with its first event at version 0', async () => {
    const created = await editDocument(
      async () => new Seat({ title: 'Row 9', price: 5, userId: 'u2' }),
      (doc, next) => [{ ...seatEvent(doc, next), subject: 'ticket.created' as const }],
      { eventsRecorded: () => undefined },
    );
    const stored = await Seat.findById(created._id).lean();
    expect(stored).toMatchObject({ title: 'Row 9', version: 0 });
    expect(stored?.outbox.map((e) => [e.subject, e.data.version])).toEqual([['ticket.created', 0]]);
  });

  it('creates a document without a version key, and refuses to edit one', async () => {
    const created = await editDocument(
      async () => new Hold({ seatId: 's1' }),
      (doc, next) => [holdEvent(doc, next)],
      { eventsRecorded: () => undefined },
    );
    const stored = await Hold.findById(created._id).lean();
    expect(stored?.outbox.map((e) => [e.subject, e.data.version])).toEqual([['ticket.created', 0]]);

    await expect(
      editDocument(
        async () => (await Hold.findById(created._id))!,
        (doc, next) => {
          doc.seatId = 's2';
          return [holdEvent(doc, next)];
        },
        { eventsRecorded: () => undefined },
      ),
    ).rejects.toThrow('Only a document with a version key');
    expect(await Hold.findById(created._id).lean()).toMatchObject({ seatId: 's1' });
  });

  it('puts concurrent changes one on top of the other, each with its own version', async () => {
    const seat = await newSeat();
    await Promise.all(
      [20, 30, 40].map((price) =>
        editDocument(
          loadSeat(seat._id),
          (doc, next) => {
            doc.title = `${doc.title}+${price}`;
            return [seatEvent(doc, next)];
          },
          { eventsRecorded: () => undefined },
        ),
      ),
    );
    const stored = await Seat.findById(seat._id).lean();
    // Every change went in, none overwrote another, and the versions follow one another.
    expect(stored?.title.split('+').sort()).toEqual(['20', '30', '40', 'Row 1']);
    const versions = stored!.outbox.map((e) => e.data.version as number);
    expect(versions).toEqual([versions[0]!, versions[0]! + 1, versions[0]! + 2]);
    expect(stored?.version).toBe(versions[2]);
  });

  it('saves nothing when the change refuses, or records no event', async () => {
    const seat = await newSeat();
    let told = 0;
    const options = { eventsRecorded: () => (told += 1) };
    await expect(
      editDocument(
        loadSeat(seat._id),
        () => {
          throw new ConflictError('The seat was changed by another request');
        },
        options,
      ),
    ).rejects.toThrow('The seat was changed by another request');
    expect(await editDocument(loadSeat(seat._id), () => [], options)).toBeTruthy();
    // A change without its event would move the version the replicas follow: refused.
    await expect(
      editDocument(
        loadSeat(seat._id),
        (doc) => {
          doc.price = 99;
          return [];
        },
        options,
      ),
    ).rejects.toThrow('must record its event');
    expect(told).toBe(0);
    expect(await Seat.findById(seat._id).lean()).toMatchObject({ price: 10, outbox: [] });
    await expect(
      editDocument(loadSeat(new mongoose.Types.ObjectId()), () => [], options),
    ).rejects.toBeInstanceOf(NotFoundError);
  });
});
