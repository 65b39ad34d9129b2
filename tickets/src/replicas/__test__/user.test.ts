import {
  buildEvent,
  EVENT_STREAM,
  EventConsumer,
  EventPublisher,
  SESSION_VERSION_TTL_MS,
  type EventData,
} from '@taskforge/common';
import { consumerSettled, signinCookie, waitFor } from '@taskforge/common/testing';
import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { Ticket } from '../../models/ticket';
import { User } from '../user';
import { createTicket, reserveTicket, type SignedInUser } from '../../test/factories';
import { FAST_REDELIVERY, setupTicketsTest, type TicketsTestContext } from '../../test/setup';
import { ticketsListeners } from '../../events/listeners';

/* tickets' copy of the users, through the real stream and its durable consumer. */
let ctx: TicketsTestContext;
let consumer: EventConsumer;
let publisher: EventPublisher;

beforeAll(async () => {
  ctx = await setupTicketsTest({ relay: false });
  publisher = new EventPublisher(ctx.bus.js);
  consumer = new EventConsumer(ctx.bus, {
    durable: 'tickets',
    listeners: ticketsListeners({ eventsRecorded: () => undefined }),
    logger: ctx.logger,
    ...FAST_REDELIVERY,
  });
  await consumer.start();
});
afterAll(async () => {
  await consumer.stop();
  await ctx.close();
});

const id = randomBytes(12).toString('hex');
function userEvent(version: number, sessionVersion?: number): EventData<'user.updated'> {
  return {
    id,
    version,
    email: `${id}@example.test`,
    preferences: {
      theme: 'system',
      notifications: { email: true, push: true, frequency: 'immediate' },
    },
    ...(sessionVersion === undefined ? {} : { sessionVersion }),
  };
}
const publish = (subject: 'user.created' | 'user.updated', data: EventData<'user.updated'>) =>
  publisher.publish(buildEvent(subject, data));

describe("tickets' copy of the users", () => {
  it('keeps each user’s session version, in version order, ignoring duplicates', async () => {
    await publish('user.updated', userEvent(2, 3));
    await publish('user.updated', userEvent(1, 1));
    await publish('user.created', userEvent(0));
    await publish('user.updated', userEvent(1, 1));
    await consumerSettled(ctx.bus.jsm, 'tickets');
    expect(await User.findById(id).lean()).toEqual({
      _id: id,
      version: 2,
      sessionVersion: 3,
      deleted: false,
    });
  });

  it('refuses a session the user ended elsewhere once user.updated says so, and takes the new one', async () => {
    const ended = signinCookie({ id, email: `${id}@example.test` }, { sessionVersion: 3 });
    const renewed = signinCookie({ id, email: `${id}@example.test` }, { sessionVersion: 4 });
    const sell = (cookie: string) =>
      request(ctx.app).post('/api/tickets').set('Cookie', cookie).send({ title: 'Gig', price: 10 });
    expect((await sell(ended.cookie)).status).toBe(201);

    await publish('user.updated', userEvent(3, 4));
    await waitFor(async () => (await User.findById(id).lean())?.sessionVersion === 4);
    const applied = Date.now();
    await waitFor(async () => (await sell(ended.cookie)).status === 401, { timeoutMs: 5000 });
    expect(Date.now() - applied).toBeLessThan(SESSION_VERSION_TTL_MS + 1000);
    const refused = await sell(ended.cookie);
    expect(refused.body).toEqual({ errors: [{ message: 'Not authorized' }] });
    expect((await sell(renewed.cookie)).status).toBe(201);
  });
});

describe('user.deleted', () => {
  const newUser = async (): Promise<SignedInUser> => {
    const userId = randomBytes(12).toString('hex');
    await publish('user.created', { ...userEvent(0), id: userId, email: `${userId}@example.test` });
    await waitFor(() => User.findById(userId).lean());
    const { cookie } = signinCookie({ id: userId, email: `${userId}@example.test` });
    return { id: userId, cookie };
  };
  const deleteAccount = (userId: string, version: number) =>
    publisher.publish(buildEvent('user.deleted', { id: userId, version }, { actorId: userId }));
  const settled = () => consumerSettled(ctx.bus.jsm, 'tickets');
  const live = (userId: string) => Ticket.countDocuments({ userId, deletedAt: null });

  it("refuses the old cookie, deletes the user's tickets through ticket.deleted and leaves reserved ones", async () => {
    const seller = await newUser();
    const [listed, reserved] = [
      await createTicket(ctx.app, { title: 'Listed' }, seller),
      await createTicket(ctx.app, { title: 'Reserved' }, seller),
    ];
    const orderId = await reserveTicket(reserved.id);
    const others = await createTicket(ctx.app, { title: 'Not theirs' });
    // Polled with a request that changes nothing: a ticket listed in the second a pod still
    // trusts the session it remembered would outlive the sweep (see UserDeletedListener).
    const refused = () =>
      request(ctx.app)
        .delete(`/api/tickets/${randomBytes(12).toString('hex')}`)
        .set('Cookie', seller.cookie);

    await deleteAccount(seller.id, 1);
    await waitFor(async () => (await User.findById(seller.id).lean())?.deleted === true);
    await waitFor(async () => (await refused()).status === 401, { timeoutMs: 5000 });
    await request(ctx.app)
      .post('/api/tickets')
      .set('Cookie', seller.cookie)
      .send({ title: 'Late', price: 5 })
      .expect(401);
    await settled();

    await request(ctx.app).get(`/api/tickets/${listed.id}`).expect(404);
    const kept = await request(ctx.app).get(`/api/tickets/${reserved.id}`).expect(200);
    expect(kept.body).toMatchObject({ userId: seller.id, orderId, version: 1 });
    await request(ctx.app).get(`/api/tickets/${others.id}`).expect(200);
    const theirs = await request(ctx.app).get(`/api/tickets?userId=${seller.id}`).expect(200);
    // Reserved tickets are not for sale, so nothing of theirs is listed.
    expect(theirs.body).toEqual([]);
    expect(await Ticket.findById(listed.id).lean()).toMatchObject({
      deletedAt: expect.any(Date),
      version: 1,
    });

    await ctx.newRelay().flush();
    const [event] = await ctx.eventsFor('ticket.deleted', listed.id);
    expect(event).toMatchObject({
      data: { id: listed.id, version: 1, title: 'Listed', price: 20, userId: seller.id },
      metadata: { actorId: seller.id },
    });
    expect(await ctx.eventsFor('ticket.deleted', reserved.id, 0)).toEqual([]);
  });

  it('finishes the tickets when user.deleted is redelivered after the tombstone was written', async () => {
    const seller = await newUser();
    await createTicket(ctx.app, {}, seller);
    await createTicket(ctx.app, {}, seller);
    // As if the listener had died between its two writes.
    await User.updateOne({ _id: seller.id }, { $set: { deleted: true, version: 1 } });

    await deleteAccount(seller.id, 1);
    await settled();

    expect(await live(seller.id)).toBe(0);
    expect(
      await Ticket.countDocuments({ userId: seller.id, 'outbox.subject': 'ticket.deleted' }),
    ).toBe(2);
  });

  it('holds user.deleted back until the user.updated it follows, and stays deleted after a late one', async () => {
    const seller = await newUser();
    await createTicket(ctx.app, {}, seller);
    const before = await ctx.bus.jsm.consumers.info(EVENT_STREAM, 'tickets');

    await deleteAccount(seller.id, 2);
    await waitFor(async () => {
      const info = await ctx.bus.jsm.consumers.info(EVENT_STREAM, 'tickets');
      return info.num_redelivered > before.num_redelivered;
    });
    expect(await User.findById(seller.id).lean()).toMatchObject({ deleted: false, version: 0 });
    expect(await live(seller.id)).toBe(1);

    const named = { ...userEvent(1, 1), id: seller.id, email: `${seller.id}@example.test` };
    await publish('user.updated', named);
    await waitFor(async () => (await User.findById(seller.id).lean())?.deleted === true);
    await publish('user.updated', named);
    await settled();

    expect(await User.findById(seller.id).lean()).toMatchObject({ deleted: true, version: 2 });
    expect(await live(seller.id)).toBe(0);
  });
});
