import { signinCookie } from '@taskforge/common/testing';
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

const getMe = (cookie?: string) => {
  const req = request(ctx.app).get('/api/users/me');
  return cookie ? req.set('Cookie', cookie) : req;
};

describe('GET /api/users/me', () => {
  it('answers the signed-in user with profile and preferences', async () => {
    const user = await signUp(ctx.app);
    const res = await getMe(user.cookie);
    expect(res.status).toBe(200);
    expectDocumented('get', '/api/users/me', res);
    expect(res.body).toMatchObject({ id: user.id, email: user.email, bio: null, version: 0 });
  });

  it('answers 401 when signed out', async () => {
    const res = await getMe();
    expect(res.status).toBe(401);
    expectDocumented('get', '/api/users/me', res);
    expect(res.body).toEqual({ errors: [{ message: 'Not authorized' }] });
  });

  it('answers 404 for a valid session whose user does not exist', async () => {
    const res = await getMe(signinCookie().cookie);
    expect(res.status).toBe(404);
    expectDocumented('get', '/api/users/me', res);
  });
});
