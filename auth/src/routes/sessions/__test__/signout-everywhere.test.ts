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

describe('POST /api/users/signout-everywhere', () => {
  const signin = (email: string, password: string) =>
    request(ctx.app).post('/api/users/signin').send({ email, password });

  it('ends every session of the user, this one included, and tells the other services', async () => {
    const user = await signUp(ctx.app);
    const laptop = sessionCookieFrom(await signin(user.email, user.password).expect(200));
    const stranger = await signUp(ctx.app);

    const res = await request(ctx.app)
      .post('/api/users/signout-everywhere')
      .set('Cookie', user.cookie);

    expect(res.status).toBe(200);
    expectDocumented('post', '/api/users/signout-everywhere', res);
    expect(res.body).toEqual({});
    expect(res.get('Set-Cookie')?.find((c) => c.startsWith('session='))).toMatch(/^session=;/);
    for (const cookie of [user.cookie, laptop]) {
      const me = await request(ctx.app).get('/api/users/me').set('Cookie', cookie);
      expect(me.status).toBe(401);
      const current = await request(ctx.app).get('/api/users/currentuser').set('Cookie', cookie);
      expect(current.body).toEqual({ currentUser: null });
    }
    // Another user's session is untouched.
    await request(ctx.app).get('/api/users/me').set('Cookie', stranger.cookie).expect(200);
    const [event] = await ctx.eventsFor('user.updated', user.id);
    expect(event?.data).toMatchObject({ id: user.id, version: 1, sessionVersion: 1 });
    expect(await User.findById(user.id).lean()).toMatchObject({ sessionVersion: 1 });

    // Signing in again starts a session of the new version.
    const again = sessionCookieFrom(await signin(user.email, user.password).expect(200));
    await request(ctx.app).get('/api/users/me').set('Cookie', again).expect(200);
  });

  it('answers 401 when signed out, and 404 for a session whose user does not exist', async () => {
    const anonymous = await request(ctx.app).post('/api/users/signout-everywhere');
    expect(anonymous.status).toBe(401);
    expectDocumented('post', '/api/users/signout-everywhere', anonymous);
    const ghost = await request(ctx.app)
      .post('/api/users/signout-everywhere')
      .set('Cookie', signinCookie().cookie);
    expect(ghost.status).toBe(404);
    expectDocumented('post', '/api/users/signout-everywhere', ghost);
  });
});
