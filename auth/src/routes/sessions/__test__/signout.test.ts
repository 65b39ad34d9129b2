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

describe('POST /api/users/signout', () => {
  it('answers 200 {} and clears the session cookie', async () => {
    const { cookie } = await signUp(ctx.app);

    const res = await request(ctx.app).post('/api/users/signout').set('Cookie', cookie);

    expect(res.status).toBe(200);
    expectDocumented('post', '/api/users/signout', res);
    expect(res.body).toEqual({});
    const cleared = res.get('Set-Cookie')?.find((c) => c.startsWith('session='));
    expect(cleared).toMatch(/^session=;/);
    expect(cleared).toMatch(/expires=Thu, 01 Jan 1970 00:00:00 GMT/i);
  });

  it('answers 200 {} when not signed in', async () => {
    const res = await request(ctx.app).post('/api/users/signout');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({});
  });
});
