import { generateJwtKeys, sessionCookie, signinCookie } from '@taskforge/common/testing';
import jwt from 'jsonwebtoken';
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

const currentUser = (cookie?: string) => {
  const req = request(ctx.app).get('/api/users/currentuser');
  return cookie ? req.set('Cookie', cookie) : req;
};

const base64url = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('GET /api/users/currentuser', () => {
  it('answers { currentUser: null } without a cookie', async () => {
    const res = await currentUser();
    expect(res.status).toBe(200);
    expectDocumented('get', '/api/users/currentuser', res);
    expect(res.body).toEqual({ currentUser: null });
  });

  it('answers the signed-in user after signup', async () => {
    const user = await signUp(ctx.app);
    const res = await currentUser(user.cookie);
    expect(res.status).toBe(200);
    expectDocumented('get', '/api/users/currentuser', res);
    expect(res.body).toEqual({ currentUser: { id: user.id, email: user.email } });
  });

  it('accepts a token signed with the auth private key (as every service verifies it)', async () => {
    const { cookie, user } = signinCookie();
    expect((await currentUser(cookie)).body).toEqual({ currentUser: user });
  });

  it('issues ES256 tokens that expire after JWT_TTL_SECONDS', async () => {
    const { cookie } = await signUp(ctx.app);
    const token = JSON.parse(Buffer.from(cookie.replace('session=', ''), 'base64').toString()).jwt;
    const decoded = jwt.decode(token, { complete: true });
    expect(decoded?.header.alg).toBe('ES256');
    const payload = decoded?.payload as { exp: number; iat: number };
    expect(payload.exp - payload.iat).toBe(ctx.config.JWT_TTL_SECONDS);
  });

  it('ignores a token signed with another key pair', async () => {
    const forged = signinCookie({}, { privateKey: generateJwtKeys().privateKey });
    expect((await currentUser(forged.cookie)).body).toEqual({ currentUser: null });
  });

  it('ignores an expired token', async () => {
    const expired = signinCookie({}, { expiresIn: -60 });
    expect((await currentUser(expired.cookie)).body).toEqual({ currentUser: null });
  });

  it('ignores an unsigned token (alg: none)', async () => {
    const header = base64url({ alg: 'none', typ: 'JWT' });
    const payload = base64url({
      id: 'a'.repeat(24),
      email: 'mallory@example.test',
      iat: Math.floor(Date.now() / 1000),
    });
    const res = await currentUser(sessionCookie(`${header}.${payload}.`));
    expect(res.body).toEqual({ currentUser: null });
  });

  it('ignores a cookie that is not a session at all', async () => {
    expect((await currentUser('session=not-base64-json')).body).toEqual({ currentUser: null });
  });
});
