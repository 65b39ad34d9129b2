import { recordEvent } from '@taskforge/common';
import { readEvents } from '@taskforge/common/testing';
import mongoose from 'mongoose';
import { setupTicketsTest, type TicketsTestContext } from '../../test/setup';
import { Ticket, ticketEventData, type TicketDocument } from '../ticket';

// No relay runs in this file: tests decide when events are published.
let ctx: TicketsTestContext;

beforeAll(async () => {
  ctx = await setupTicketsTest({ relay: false });
});
beforeEach(() => ctx.reset());
afterAll(() => ctx.close());

const buildTicket = () => new Ticket({ title: 'Show', price: 10, userId: 'owner' });

async function saveWithEvent(ticket: TicketDocument, subject: 'ticket.created' | 'ticket.updated') {
  const version = ticket.isNew ? 0 : ticket.version + 1;
  recordEvent(ticket, subject, ticketEventData(ticket, version));
  return ticket.save();
}

describe('Ticket optimistic concurrency', () => {
  it('numbers successive saves 0, 1, 2', async () => {
    const ticket = buildTicket();
    await ticket.save();
    expect(ticket.version).toBe(0);
    ticket.price = 11;
    await ticket.save();
    expect(ticket.version).toBe(1);
    ticket.price = 12;
    await ticket.save();
    expect(ticket.version).toBe(2);
    expect((await Ticket.findById(ticket.id).lean())?.version).toBe(2);
  });

  it('rejects a save from a stale copy with VersionError and keeps the first write', async () => {
    const ticket = await buildTicket().save();
    const first = (await Ticket.findById(ticket.id))!;
    const second = (await Ticket.findById(ticket.id))!;
    first.price = 20;
    second.price = 30;
    await first.save();
    await expect(second.save()).rejects.toThrow(mongoose.Error.VersionError);
    expect(await Ticket.findById(ticket.id).lean()).toMatchObject({ price: 20, version: 1 });
  });

  it('lets exactly one of several concurrent saves of the same version through', async () => {
    const ticket = await buildTicket().save();
    const copies = await Promise.all(
      Array.from({ length: 8 }, () => Ticket.findById(ticket.id).orFail()),
    );
    const results = await Promise.allSettled(
      copies.map((copy, i) => {
        copy.price = 100 + i;
        return saveWithEvent(copy, 'ticket.updated');
      }),
    );

    const saved = results.filter((r) => r.status === 'fulfilled');
    expect(saved).toHaveLength(1);
    for (const r of results) {
      if (r.status === 'rejected') expect(r.reason).toBeInstanceOf(mongoose.Error.VersionError);
    }
    const stored = await Ticket.findById(ticket.id).lean();
    expect(stored?.version).toBe(1);
    expect(stored?.outbox.map((e) => e.data.version)).toEqual([1]);
  });

  it('hides outbox, deletedAt, createdAt and __v from JSON and maps _id to id', async () => {
    const ticket = buildTicket();
    recordEvent(ticket, 'ticket.created', ticketEventData(ticket, 0));
    await ticket.save();
    expect(ticket.toJSON()).toEqual({
      id: ticket._id.toHexString(),
      title: 'Show',
      price: 10,
      userId: 'owner',
      version: 0,
    });
  });
});

describe('Ticket outbox', () => {
  it('publishes an event left by a crash between the write and the publish, exactly once', async () => {
    // The "crash": the ticket and its event were written, then the process died before any relay ran.
    const ticket = buildTicket();
    const event = recordEvent(ticket, 'ticket.created', ticketEventData(ticket, 0));
    await ticket.save();
    expect(await readEvents(ctx.natsUrl, 'ticket.created')).toHaveLength(0);
    expect((await Ticket.findById(ticket.id).lean())?.outbox.map((e) => e.id)).toEqual([event.id]);

    // A fresh process starts its relay.
    const relay = ctx.newRelay();
    expect(await relay.flush()).toBe(1);
    expect(await relay.flush()).toBe(0);

    const events = (await readEvents(ctx.natsUrl, 'ticket.created')).filter(
      (e) => e.data.id === ticket.id,
    );
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ id: event.id, data: { id: ticket.id, version: 0 } });
    expect((await Ticket.findById(ticket.id).lean())?.outbox).toEqual([]);
  });

  it('loses neither the edit nor its event when a save races the relay marking an event sent', async () => {
    const relay = ctx.newRelay();
    for (let round = 0; round < 10; round += 1) {
      const ticket = buildTicket();
      await saveWithEvent(ticket, 'ticket.created');
      ticket.title = `edited ${round}`;
      await Promise.all([relay.flush(), saveWithEvent(ticket, 'ticket.updated')]);
      await relay.flush();

      const stored = await Ticket.findById(ticket.id).lean();
      expect(stored).toMatchObject({ title: `edited ${round}`, version: 1, outbox: [] });
      const versions = (await readEvents(ctx.natsUrl))
        .filter((e) => e.data.id === ticket.id)
        .map((e) => e.data.version);
      expect(versions).toEqual([0, 1]);
    }
  });
});
