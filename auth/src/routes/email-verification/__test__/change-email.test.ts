import request from 'supertest';
import { sessionCookieFrom, signUp, verificationLinksFor } from '../../../test/factories';
import { verificationRequests } from '../../../test/email-verification';
import { expectDocumented } from '../../../test/openapi';
import { setupAuthTest, type AuthTestContext } from '../../../test/setup';

let ctx: AuthTestContext;

beforeAll(async () => {
  ctx = await setupAuthTest();
});
beforeEach(() => ctx.reset());
afterAll(() => ctx.close());

const { confirm, me, changeEmail } = verificationRequests(() => ctx.app);

describe('POST /api/users/me/email', () => {
  it('keeps the address until the link mailed to the new one is opened, then takes it', async () => {
    const user = await signUp(ctx.app);
    const newEmail = `moved-${user.email}`;

    const res = await changeEmail(user, { email: newEmail.toUpperCase(), password: user.password });

    expect(res.status).toBe(202);
    expectDocumented('post', '/api/users/me/email', res);
    expect(res.body).toMatchObject({ email: user.email, pendingEmail: newEmail });
    const [, link] = await verificationLinksFor(ctx.natsUrl, user.id, 2);
    expect(link).toMatchObject({ userId: user.id, email: newEmail });
    // Until then the account signs in with its address, and the new one with nothing.
    const signin = (email: string) =>
      request(ctx.app).post('/api/users/signin').send({ email, password: user.password });
    expect((await signin(newEmail)).status).toBe(400);

    // Opened where the account is signed in: that session's cookie carries the new address.
    const confirmed = await confirm(link!.token, user.cookie);
    expect(confirmed.status).toBe(204);
    const renewed = sessionCookieFrom(confirmed);
    const current = await request(ctx.app).get('/api/users/currentuser').set('Cookie', renewed);
    expect(current.body.currentUser).toEqual({ id: user.id, email: newEmail });
    expect((await me(renewed)).body).toMatchObject({
      email: newEmail,
      emailVerified: true,
      pendingEmail: null,
    });
    const updates = await ctx.eventsFor('user.updated', user.id);
    expect(updates.at(-1)?.data).toMatchObject({ email: newEmail, emailVerified: true });
    expect((await signin(newEmail)).status).toBe(200);
    expect((await signin(user.email)).status).toBe(400);
  });

  it('needs the password and a new address no other account has', async () => {
    const user = await signUp(ctx.app);
    const other = await signUp(ctx.app);
    const cases: Array<[object, object]> = [
      [
        { email: 'new@example.test', password: 'wrong password' },
        { message: 'Invalid credentials', field: 'password' },
      ],
      [
        { email: user.email, password: user.password },
        { message: 'This is already your email address', field: 'email' },
      ],
      [
        { email: other.email, password: user.password },
        { message: 'Email in use', field: 'email' },
      ],
      [
        { email: 'not an email', password: user.password },
        { message: 'Email must be valid', field: 'email' },
      ],
    ];
    for (const [body, error] of cases) {
      const res = await changeEmail(user, body);
      expect(res.status).toBe(400);
      expectDocumented('post', '/api/users/me/email', res);
      expect(res.body).toEqual({ errors: [error] });
    }
    expect((await me(user.cookie)).body.pendingEmail).toBeNull();
  });

  it('refuses the link when another account took the new address meanwhile', async () => {
    const user = await signUp(ctx.app);
    const wanted = `wanted-${user.email}`;
    await changeEmail(user, { email: wanted, password: user.password }).expect(202);
    const [, link] = await verificationLinksFor(ctx.natsUrl, user.id, 2);
    await signUp(ctx.app, { email: wanted });

    const res = await confirm(link!.token);

    expect(res.status).toBe(409);
    expectDocumented('post', '/api/users/email-verification/confirm', res);
    expect(res.body).toEqual({
      errors: [{ message: 'This address is in use by another account now' }],
    });
    expect((await me(user.cookie)).body.email).toBe(user.email);
  });
});
