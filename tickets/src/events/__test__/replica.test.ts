import {
  applyVersioned,
  EventConsumer,
  findByEvent,
  Listener,
  resultFor,
  type EventData,
} from '@taskforge/common';
import { consumerSettled, waitFor } from '@taskforge/common/testing';
import mongoose, { Schema } from 'mongoose';
import request from 'supertest';
import { Ticket } from '../../models/ticket';
import { createTicket, signIn } from '../../test/factories';
import { FAST_REDELIVERY, setupTicketsTest, type TicketsTestContext } from '../../test/setup';

/*
 * The pattern other services (tasks, notifications) use to keep tickets: a replica built from
 * the real stream with one listener per subject, each applying an event only at the next version.
 */
interface TicketReplica {
  _id: string;
  title: string;
  price: number;
  userId: string;
  orderId: string | null;
  deleted: boolean;
  version: number;
}

const TicketReplica = mongoose.model<TicketReplica>(
  'TicketReplicaForTest',
  new Schema<TicketReplica>(
    {
      _id: String,
      title: String,
      price: Number,
      userId: String,
      orderId: { type: String, default: null },
      deleted: { type: Boolean, default: false },
      version: Number,
    },
    { versionKey: false },
  ),
);

const replicated = (data: EventData<'ticket.updated'>) => ({
  title: data.title,
  price: data.price,
  userId: data.userId,
  orderId: data.orderId ?? null,
});

class TicketCreatedListener extends Listener<'ticket.created'> {
  readonly subject = 'ticket.created' as const;
  async onMessage(data: EventData<'ticket.created'>) {
    return resultFor(await applyVersioned(TicketReplica, data, replicated(data)));
  }
}

class TicketUpdatedListener extends Listener<'ticket.updated'> {
  readonly subject = 'ticket.updated' as const;
  async onMessage(data: EventData<'ticket.updated'>) {
    return resultFor(await applyVersioned(TicketReplica, data, replicated(data)));
  }
}

class TicketDeletedListener extends Listener<'ticket.deleted'> {
  readonly subject = 'ticket.deleted' as const;
  async onMessage(data: EventData<'ticket.deleted'>) {
    return resultFor(
      await applyVersioned(TicketReplica, data, { ...replicated(data), deleted: true }),
    );
  }
}

let ctx: TicketsTestContext;
let consumer: EventConsumer;
const durable = 'tickets-replica-test';

beforeAll(async () => {
  ctx = await setupTicketsTest();
  consumer = new EventConsumer(ctx.bus, {
    durable,
    listeners: [
      new TicketCreatedListener(),
      new TicketUpdatedListener(),
      new TicketDeletedListener(),
    ],
    logger: ctx.logger,
    ...FAST_REDELIVERY,
  });
  await consumer.start();
});
afterAll(async () => {
  await consumer.stop();
  await ctx.close();
});

/** The replica as the owner's data would look: what a consumer needs to know about a ticket. */
async function ownerView(id: string) {
  const ticket = await Ticket.findById(id).lean().orFail();
  return {
    _id: id,
    title: ticket.title,
    price: ticket.price,
    userId: ticket.userId,
    orderId: ticket.orderId ?? null,
    deleted: ticket.deletedAt !== null,
    version: ticket.version,
  };
}

async function replicaMatchesOwner(id: string) {
  const expected = await ownerView(id);
  const replica = await waitFor(async () => {
    const doc = await TicketReplica.findById(id).lean();
    return doc?.version === expected.version ? doc : undefined;
  });
  expect(replica).toEqual(expected);
}

describe('replicating tickets from the stream with applyVersioned', () => {
  it('keeps a replica equal to the owner through create, updates and delete', async () => {
    const owner = signIn();
    const ticket = await createTicket(ctx.app, { title: 'Replicated', price: 25 }, owner);
    await replicaMatchesOwner(ticket.id);

    for (const [title, price] of [
      ['Renamed', 30],
      ['Renamed again', 31.5],
    ] as const) {
      await request(ctx.app)
        .put(`/api/tickets/${ticket.id}`)
        .set('Cookie', owner.cookie)
        .send({ title, price })
        .expect(200);
    }
    await replicaMatchesOwner(ticket.id);
    expect((await TicketReplica.findById(ticket.id).lean())?.version).toBe(2);

    // The replica follows the next event: findByEvent finds it only at the previous version.
    expect(await findByEvent(TicketReplica, { id: ticket.id, version: 3 })).not.toBeNull();
    expect(await findByEvent(TicketReplica, { id: ticket.id, version: 2 })).toBeNull();

    await request(ctx.app)
      .delete(`/api/tickets/${ticket.id}`)
      .set('Cookie', owner.cookie)
      .expect(204);
    await replicaMatchesOwner(ticket.id);
    expect(await TicketReplica.findById(ticket.id).lean()).toMatchObject({
      deleted: true,
      version: 3,
    });
  });

  it('converges after a burst of concurrent edits, acknowledging every event', async () => {
    const owner = signIn();
    const ticket = await createTicket(ctx.app, {}, owner);
    for (let round = 0; round < 3; round += 1) {
      await Promise.all(
        [1, 2, 3].map((n) =>
          request(ctx.app)
            .put(`/api/tickets/${ticket.id}`)
            .set('Cookie', owner.cookie)
            .send({ title: `round ${round} edit ${n}`, price: n }),
        ),
      );
    }
    await replicaMatchesOwner(ticket.id);
    await consumerSettled(ctx.bus.jsm, durable);
  });
});
