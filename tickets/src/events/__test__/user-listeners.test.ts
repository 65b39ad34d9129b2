import {
  buildEvent,
  EventConsumer,
  EventPublisher,
  SESSION_VERSION_TTL_MS,
  type EventData,
} from '@taskforge/common';
import { consumerSettled, signinCookie, waitFor } from '@taskforge/common/testing';
import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { User } from '../../models/user';
import { setupTicketsTest, type TicketsTestContext } from '../../test/setup';
import { ticketsListeners } from '../listeners/user-listeners';

/* tickets' copy of the users, through the real stream and its durable consumer. */
let ctx: TicketsTestContext;
let consumer: EventConsumer;
let publisher: EventPublisher;

beforeAll(async () => {
  ctx = await setupTicketsTest({ relay: false });
  publisher = new EventPublisher(ctx.bus.js);
  consumer = new EventConsumer(ctx.bus, {
    durable: 'tickets',
    listeners: ticketsListeners(),
    logger: ctx.logger,
    ackWaitMs: 1000,
    retryDelayMs: 20,
    maxRetryDelayMs: 100,
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
    expect(await User.findById(id).lean()).toEqual({ _id: id, version: 2, sessionVersion: 3 });
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
