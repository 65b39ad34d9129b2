import request from 'supertest';
import { signUp } from '../../../test/factories';
import { expectDocumented } from '../../../test/openapi';
import { setupAuthTest, type AuthTestContext } from '../../../test/setup';

let ctx: AuthTestContext;

beforeAll(async () => {
  ctx = await setupAuthTest();
});
beforeEach(() => ctx.reset());
afterAll(() => ctx.close());

describe('GET /api/users/:id', () => {
  it('answers public fields only, to anyone', async () => {
    const user = await signUp(ctx.app);
    await request(ctx.app)
      .patch('/api/users/me')
      .set('Cookie', user.cookie)
      .send({ firstName: 'Grace', bio: 'Admiral.', preferences: { theme: 'dark' } })
      .expect(200);

    const res = await request(ctx.app).get(`/api/users/${user.id}`);

    expect(res.status).toBe(200);
    expectDocumented('get', '/api/users/{id}', res);
    expect(res.body).toEqual({
      id: user.id,
      firstName: 'Grace',
      lastName: null,
      bio: 'Admiral.',
      avatarUrl: null,
    });
  });

  it('answers 404 for an unknown id', async () => {
    const res = await request(ctx.app).get('/api/users/0123456789abcdef01234567');
    expect(res.status).toBe(404);
    expectDocumented('get', '/api/users/{id}', res);
    expect(res.body).toEqual({ errors: [{ message: 'User not found' }] });
  });

  it.each(['not-an-id', '12345678901', 'zzzzzzzzzzzzzzzzzzzzzzzz', '%24where'])(
    'answers 400, not 500, for the malformed id %s',
    async (id) => {
      const res = await request(ctx.app).get(`/api/users/${id}`);
      expect(res.status).toBe(400);
      expectDocumented('get', '/api/users/{id}', res);
      expect(res.body.errors).toEqual([{ message: 'User id must be valid', field: 'id' }]);
    },
  );

  it('does not shadow /me and /currentuser', async () => {
    const user = await signUp(ctx.app);
    await request(ctx.app).get('/api/users/me').set('Cookie', user.cookie).expect(200);
    await request(ctx.app).get('/api/users/currentuser').expect(200, { currentUser: null });
  });
});
