import request from 'supertest';
import { PasswordReset } from '../../../models/password-reset';
import { User } from '../../../models/user';
import { resetEventsFor, sessionCookieFrom, signUp } from '../../../test/factories';
import { expectDocumented } from '../../../test/openapi';
import { passwordResetRequests } from '../../../test/password-reset';
import { setupAuthTest, type AuthTestContext } from '../../../test/setup';

let ctx: AuthTestContext;

beforeAll(async () => {
  ctx = await setupAuthTest();
});
beforeEach(() => ctx.reset());
afterAll(() => ctx.close());

const { requestReset, confirm } = passwordResetRequests(() => ctx.app);
const signin = (email: string, password: string) =>
  request(ctx.app).post('/api/users/signin').send({ email, password });

describe('POST /api/users/password-reset/confirm', () => {
  it('sets the new password once, and ends every session of the account', async () => {
    const user = await signUp(ctx.app);
    const laptop = sessionCookieFrom(await signin(user.email, user.password).expect(200));
    await requestReset(user.email).expect(202);
    const [event] = await resetEventsFor(ctx.natsUrl, user.id);
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
    const [first] = await resetEventsFor(ctx.natsUrl, user.id);
    await requestReset(user.email).expect(202);
    const [, second] = await resetEventsFor(ctx.natsUrl, user.id, 2);

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
