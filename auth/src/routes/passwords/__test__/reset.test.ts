import { waitFor } from '@taskforge/common/testing';
import { hashResetToken, PasswordReset } from '../../../models/password-reset';
import { resetEventsFor, signUp } from '../../../test/factories';
import { expectDocumented } from '../../../test/openapi';
import { passwordResetRequests } from '../../../test/password-reset';
import { setupAuthTest, type AuthTestContext } from '../../../test/setup';

let ctx: AuthTestContext;

beforeAll(async () => {
  ctx = await setupAuthTest();
});
beforeEach(() => ctx.reset());
afterAll(() => ctx.close());

const { requestReset } = passwordResetRequests(() => ctx.app);

describe('POST /api/users/password-reset', () => {
  it('answers 202 and sends a single-use token by event, keeping only its hash', async () => {
    const user = await signUp(ctx.app);

    const res = await requestReset(user.email.toUpperCase());

    expect(res.status).toBe(202);
    expectDocumented('post', '/api/users/password-reset', res);
    expect(res.body).toEqual({});
    const [event] = await resetEventsFor(ctx.natsUrl, user.id);
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
