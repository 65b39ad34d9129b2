import type { Express } from 'express';
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

/** Requests from one client address; the app trusts one proxy hop, as behind the ingress. */
const signin = (
  body: object,
  { app = ctx.app, ip = '198.51.100.1' }: { app?: Express; ip?: string } = {},
) => request(app).post('/api/users/signin').set('X-Forwarded-For', ip).send(body);

describe('POST /api/users/signin', () => {
  it('signs in with the right password: 200, user JSON, session cookie, lastLoginAt set', async () => {
    const user = await signUp(ctx.app);

    const res = await signin({ email: ` ${user.email.toUpperCase()} `, password: user.password });

    expect(res.status).toBe(200);
    expectDocumented('post', '/api/users/signin', res);
    expect(res.body).toMatchObject({ id: user.id, email: user.email, version: 0 });
    expect(res.body.lastLoginAt).toEqual(expect.any(String));
    expect(JSON.stringify(res.body)).not.toMatch(/passwordHash|outbox|scrypt/);
    const me = await request(ctx.app)
      .get('/api/users/currentuser')
      .set('Cookie', sessionCookieFrom(res));
    expect(me.body.currentUser).toMatchObject({ id: user.id, email: user.email });

    // lastLoginAt is not replicated: stored without a new version or event.
    const stored = await User.findById(user.id).lean();
    expect(stored?.lastLoginAt?.toISOString()).toBe(res.body.lastLoginAt);
    expect(stored?.version).toBe(0);
    // Nothing recorded beside the signup's user.created (which the relay may not have sent yet).
    expect(stored?.outbox.filter((e) => e.subject !== 'user.created')).toEqual([]);
  });

  it('answers the same 400 "Invalid credentials" for an unknown email and a wrong password', async () => {
    const user = await signUp(ctx.app);

    const unknown = await signin({ email: 'nobody@example.test', password: user.password });
    const wrong = await signin({ email: user.email, password: 'not the password' });

    for (const res of [unknown, wrong]) {
      expect(res.status).toBe(400);
      expectDocumented('post', '/api/users/signin', res);
      expect(res.body).toEqual({ errors: [{ message: 'Invalid credentials' }] });
      expect(res.get('Set-Cookie')).toBeUndefined();
    }
  });

  it('takes about as long for an unknown email as for a wrong password (a hash runs for both)', async () => {
    const user = await signUp(ctx.app);
    const time = async (body: object, ip: string) => {
      const started = process.hrtime.bigint();
      await signin(body, { ip }).expect(400);
      return Number(process.hrtime.bigint() - started) / 1e6;
    };
    const median = (values: number[]) =>
      values.sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
    const unknown: number[] = [];
    const wrong: number[] = [];
    for (let i = 0; i < 3; i += 1) {
      unknown.push(
        await time({ email: `nobody-${i}@example.test`, password: 'whatever pw' }, `192.0.2.${i}`),
      );
      wrong.push(await time({ email: user.email, password: `wrong ${i}` }, `192.0.2.${10 + i}`));
    }
    // Without the dummy hash an unknown email answers in a few ms against tens for scrypt.
    expect(median(unknown)).toBeGreaterThan(median(wrong) * 0.5);
  });

  it('answers 400 for a missing password and an invalid email', async () => {
    const noPassword = await signin({ email: 'a@example.test' });
    expect(noPassword.status).toBe(400);
    expectDocumented('post', '/api/users/signin', noPassword);
    expect(noPassword.body.errors).toEqual([
      { message: 'You must supply a password', field: 'password' },
    ]);

    const badEmail = await signin({ email: 'nope', password: 'whatever pw' });
    expect(badEmail.body.errors).toEqual([{ message: 'Email must be valid', field: 'email' }]);
  });
});

describe('sign-in failure limits', () => {
  it('answers 429 after too many failures for one email, from any address', async () => {
    const user = await signUp(ctx.app);
    const limit = ctx.config.SIGNIN_MAX_FAILURES_PER_EMAIL;
    for (let i = 0; i < limit; i += 1) {
      await signin(
        { email: user.email, password: 'wrong password' },
        { ip: `203.0.113.${i}` },
      ).expect(400);
    }

    // Even the right password, from a new address, with the email spelled differently.
    const blocked = await signin(
      { email: user.email.toUpperCase(), password: user.password },
      { ip: '203.0.113.200' },
    );

    expect(blocked.status).toBe(429);
    expectDocumented('post', '/api/users/signin', blocked);
    expect(blocked.body).toEqual({
      errors: [{ message: 'Too many failed sign-in attempts, please try again later' }],
    });
    expect(Number(blocked.get('Retry-After'))).toBeGreaterThan(0);
    expect(blocked.get('RateLimit-Remaining')).toBe('0');
    expect(blocked.get('RateLimit-Limit')).toBe(String(limit));

    // Another account is not affected.
    const other = await signUp(ctx.app);
    await signin({ email: other.email, password: other.password }, { ip: '203.0.113.200' }).expect(
      200,
    );
  });

  it('does not count successful sign-ins', async () => {
    const user = await signUp(ctx.app);
    for (let i = 0; i <= ctx.config.SIGNIN_MAX_FAILURES_PER_EMAIL; i += 1) {
      await signin({ email: user.email, password: user.password }).expect(200);
    }
  });

  it('answers 429 after too many failures from one address, whatever the emails', async () => {
    const app = ctx.buildApp({ env: { SIGNIN_MAX_FAILURES_PER_IP: '3' } });
    const user = await signUp(ctx.app);
    for (let i = 0; i < 3; i += 1) {
      await signin(
        { email: `guess-${i}@example.test`, password: 'guess pw' },
        { app, ip: '203.0.113.9' },
      ).expect(400);
    }

    const blocked = await signin(
      { email: user.email, password: user.password },
      { app, ip: '203.0.113.9' },
    );
    expect(blocked.status).toBe(429);
    expectDocumented('post', '/api/users/signin', blocked);
    expect(blocked.body.errors).toHaveLength(1);

    await signin(
      { email: user.email, password: user.password },
      { app, ip: '203.0.113.10' },
    ).expect(200);
  });
});
