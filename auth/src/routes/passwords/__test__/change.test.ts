import { signinCookie } from '@taskforge/common/testing';
import request from 'supertest';
import { User } from '../../../models/user';
import { sessionCookieFrom, signUp } from '../../../test/factories';
import { expectDocumented } from '../../../test/openapi';
import { setupAuthTest, type AuthTestContext } from '../../../test/setup';

let ctx: AuthTestContext;

beforeAll(async () => {
  ctx = await setupAuthTest();
});
beforeEach(() => ctx.reset());
afterAll(() => ctx.close());

const changePassword = (cookie: string | undefined, body: object) => {
  const req = request(ctx.app).post('/api/users/me/password');
  return (cookie ? req.set('Cookie', cookie) : req).send(body);
};
const signin = (email: string, password: string) =>
  request(ctx.app).post('/api/users/signin').send({ email, password });

describe('POST /api/users/me/password', () => {
  it('answers 204, then the new password signs in and the old one does not', async () => {
    const user = await signUp(ctx.app);

    const res = await changePassword(user.cookie, {
      currentPassword: user.password,
      newPassword: 'a brand new secret',
    });

    expect(res.status).toBe(204);
    expectDocumented('post', '/api/users/me/password', res);
    await signin(user.email, 'a brand new secret').expect(200);
    const old = await signin(user.email, user.password);
    expect(old.status).toBe(400);
    expect(old.body.errors).toEqual([{ message: 'Invalid credentials' }]);

    const stored = await User.findById(user.id).lean();
    expect(stored?.passwordChangedAt).toBeInstanceOf(Date);
    expect(stored).toMatchObject({ version: 1, sessionVersion: 1 });
    // Every other session ends: the one that changed it goes on with a new cookie.
    const renewed = sessionCookieFrom(res);
    expect(renewed).not.toBe(user.cookie);
    const me = await request(ctx.app).get('/api/users/me').set('Cookie', renewed);
    expect(me.status).toBe(200);
    expect(me.body.passwordChangedAt).toBe(stored?.passwordChangedAt?.toISOString());
    const ended = await request(ctx.app).get('/api/users/me').set('Cookie', user.cookie);
    expect(ended.status).toBe(401);
    // …and every other service learns it from the event (no credentials in it).
    const [event] = await ctx.eventsFor('user.updated', user.id);
    expect(event?.data).toMatchObject({ id: user.id, version: 1, sessionVersion: 1 });
    expect(JSON.stringify(event)).not.toMatch(/password|brand new secret/i);
  });

  it('ends a second device’s session too, and a new sign-in there works again', async () => {
    const user = await signUp(ctx.app);
    const other = sessionCookieFrom(await signin(user.email, user.password).expect(200));
    await request(ctx.app).get('/api/users/me').set('Cookie', other).expect(200);

    await changePassword(user.cookie, {
      currentPassword: user.password,
      newPassword: 'a brand new secret',
    }).expect(204);

    await request(ctx.app).get('/api/users/me').set('Cookie', other).expect(401);
    const again = sessionCookieFrom(await signin(user.email, 'a brand new secret').expect(200));
    await request(ctx.app).get('/api/users/me').set('Cookie', again).expect(200);
  });

  it('answers 400 "Invalid credentials" on currentPassword for a wrong current password', async () => {
    const user = await signUp(ctx.app);

    const res = await changePassword(user.cookie, {
      currentPassword: 'not my password',
      newPassword: 'a brand new secret',
    });

    expect(res.status).toBe(400);
    expectDocumented('post', '/api/users/me/password', res);
    expect(res.body).toEqual({
      errors: [{ message: 'Invalid credentials', field: 'currentPassword' }],
    });
    await signin(user.email, user.password).expect(200);
    expect((await User.findById(user.id).lean())?.passwordChangedAt).toBeNull();
  });

  it.each([
    ['too short', 'short'],
    ['too long', 'y'.repeat(129)],
  ])('answers 400 on newPassword when it is %s', async (_case, newPassword) => {
    const user = await signUp(ctx.app);
    const res = await changePassword(user.cookie, { currentPassword: user.password, newPassword });
    expect(res.status).toBe(400);
    expectDocumented('post', '/api/users/me/password', res);
    expect(res.body.errors).toEqual([
      { message: 'Password must be between 8 and 128 characters', field: 'newPassword' },
    ]);
    await signin(user.email, user.password).expect(200);
  });

  it('answers 400 on currentPassword when it is missing', async () => {
    const user = await signUp(ctx.app);
    const res = await changePassword(user.cookie, { newPassword: 'a brand new secret' });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([
      { message: 'You must supply a password', field: 'currentPassword' },
    ]);
  });

  it('answers 401 when signed out', async () => {
    const res = await changePassword(undefined, {
      currentPassword: 'x',
      newPassword: 'a brand new secret',
    });
    expect(res.status).toBe(401);
    expectDocumented('post', '/api/users/me/password', res);
  });

  it('answers 404 for a valid session whose user does not exist', async () => {
    const res = await changePassword(signinCookie().cookie, {
      currentPassword: 'whatever pw',
      newPassword: 'a brand new secret',
    });
    expect(res.status).toBe(404);
    expectDocumented('post', '/api/users/me/password', res);
  });
});
