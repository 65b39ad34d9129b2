import type { EventEnvelope } from '@taskforge/common';
import { openApiChecker, readEvents, waitFor } from '@taskforge/common/testing';
import request from 'supertest';
import { hashResetToken, PasswordReset } from '../../models/password-reset';
import { User } from '../../models/user';
import { openApiDocument } from '../../contracts';
import { sessionCookieFrom, signUp } from '../../test/factories';
import { setupAuthTest, type AuthTestContext } from '../../test/setup';

const expectDocumented = openApiChecker(openApiDocument);
let ctx: AuthTestContext;

beforeAll(async () => {
  ctx = await setupAuthTest();
});
beforeEach(() => ctx.reset());
afterAll(() => ctx.close());

type ResetEvent = EventEnvelope<'password-reset.requested'>;

const requestReset = (email: unknown, app = ctx.app) =>
  request(app).post('/api/users/password-reset').send({ email });
const confirm = (body: object) =>
  request(ctx.app).post('/api/users/password-reset/confirm').send(body);
const signin = (email: string, password: string) =>
  request(ctx.app).post('/api/users/signin').send({ email, password });

/** The reset events published for a user, oldest first, once there are `count` of them. */
async function resetEventsFor(userId: string, count = 1): Promise<ResetEvent[]> {
  return waitFor(async () => {
    const events = (await readEvents(ctx.natsUrl, 'password-reset.requested')).filter(
      (e) => (e as ResetEvent).data.userId === userId,
    ) as ResetEvent[];
    return events.length >= count ? events : undefined;
  });
}

describe('POST /api/users/password-reset', () => {
  it('answers 202 and sends a single-use token by event, keeping only its hash', async () => {
    const user = await signUp(ctx.app);

    const res = await requestReset(user.email.toUpperCase());

    expect(res.status).toBe(202);
    expectDocumented('post', '/api/users/password-reset', res);
    expect(res.body).toEqual({});
    const [event] = await resetEventsFor(user.id);
    expect(event?.data).toMatchObject({ userId: user.id, email: user.email, version: 0 });
    const token = event!.data.token;
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    // The token leaves the outbox once published (the relay removes the event after the stream
    // acknowledged it, a moment after it is readable there); from then on only its hash stays.
    const stored = await waitFor(async () => {
      const doc = await PasswordReset.findById(event!.data.id).lean();
      return doc?.outbox.length === 0 ? doc : undefined;
    });
    expect(stored.tokenHash).toBe(hashResetToken(token));
    expect(JSON.stringify(stored)).not.toContain(token.slice(0, 20));
    // 30 minutes by default, within the 15–60 the configuration allows.
    const lifetime = new Date(event!.data.expiresAt).getTime() - stored.createdAt.getTime();
    expect(Math.round(lifetime / 60_000)).toBe(30);
  });

  it('answers an address without an account exactly the same, and records nothing', async () => {
    const res = await requestReset('nobody-here@example.test');
    expect(res.status).toBe(202);
    expect(res.body).toEqual({});
    expect(await PasswordReset.countDocuments()).toBe(0);
  });

  it('answers 400 on email when it is not an address', async () => {
    const res = await requestReset('not an email');
    expect(res.status).toBe(400);
    expectDocumented('post', '/api/users/password-reset', res);
    expect(res.body).toEqual({ errors: [{ message: 'Email must be valid', field: 'email' }] });
  });

  it('limits requests per email address, whether or not it has an account', async () => {
    const app = ctx.buildApp({ env: { PASSWORD_RESET_MAX_PER_EMAIL: '2' } });
    for (const email of ['limited@example.test', 'LIMITED@example.test']) {
      expect((await requestReset(email, app)).status).toBe(202);
    }
    const limited = await requestReset('limited@example.test', app);
    expect(limited.status).toBe(429);
    expectDocumented('post', '/api/users/password-reset', limited);
    expect(limited.body).toEqual({
      errors: [{ message: 'Too many password reset requests, please try again later' }],
    });
    // Another address is counted on its own.
    expect((await requestReset('other@example.test', app)).status).toBe(202);
  });
});

describe('POST /api/users/password-reset/confirm', () => {
  it('sets the new password once, and ends every session of the account', async () => {
    const user = await signUp(ctx.app);
    const laptop = sessionCookieFrom(await signin(user.email, user.password).expect(200));
    await requestReset(user.email).expect(202);
    const [event] = await resetEventsFor(user.id);
    const token = event!.data.token;

    const res = await confirm({ token, password: 'a reset new secret' });

    expect(res.status).toBe(204);
    expectDocumented('post', '/api/users/password-reset/confirm', res);
    await signin(user.email, 'a reset new secret').expect(200);
    expect((await signin(user.email, user.password)).status).toBe(400);
    for (const cookie of [user.cookie, laptop]) {
      await request(ctx.app).get('/api/users/me').set('Cookie', cookie).expect(401);
    }
    const [updated] = await ctx.eventsFor('user.updated', user.id);
    expect(updated?.data).toMatchObject({ version: 1, sessionVersion: 1 });
    expect(JSON.stringify(updated)).not.toMatch(/password|secret/i);

    const again = await confirm({ token, password: 'yet another secret' });
    expect(again.status).toBe(400);
    expectDocumented('post', '/api/users/password-reset/confirm', again);
    expect(again.body).toEqual({
      errors: [{ message: 'This reset link is invalid or has expired', field: 'token' }],
    });
    await signin(user.email, 'a reset new secret').expect(200);
  });

  it('refuses a token a newer request replaced, and an expired one', async () => {
    const user = await signUp(ctx.app);
    await requestReset(user.email).expect(202);
    const [first] = await resetEventsFor(user.id);
    await requestReset(user.email).expect(202);
    const [, second] = await resetEventsFor(user.id, 2);

    const replaced = await confirm({ token: first!.data.token, password: 'a reset new secret' });
    expect(replaced.status).toBe(400);
    expect(replaced.body.errors[0].field).toBe('token');

    await PasswordReset.updateOne(
      { _id: second!.data.id },
      { $set: { expiresAt: new Date(Date.now() - 1000) } },
    );
    const expired = await confirm({ token: second!.data.token, password: 'a reset new secret' });
    expect(expired.status).toBe(400);
    expect(expired.body.errors[0].field).toBe('token');
    // Nothing changed: the old password still signs in, and no session ended.
    await signin(user.email, user.password).expect(200);
    expect((await User.findById(user.id).lean())?.sessionVersion).toBe(0);
  });

  it.each([
    ['a made-up token', { token: 'x'.repeat(43), password: 'a reset new secret' }, 'token'],
    ['no token', { password: 'a reset new secret' }, 'token'],
    ['a short password', { token: 'x'.repeat(43), password: 'short' }, 'password'],
  ])('answers 400 for %s', async (_case, body, field) => {
    const res = await confirm(body);
    expect(res.status).toBe(400);
    expectDocumented('post', '/api/users/password-reset/confirm', res);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual([field]);
  });
});
