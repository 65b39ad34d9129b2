import type { EventEnvelope } from '@taskforge/common';
import { openApiChecker, readEvents, waitFor } from '@taskforge/common/testing';
import { Types } from 'mongoose';
import request from 'supertest';
import { hashResetToken } from '../../models/password-reset';
import { User } from '../../models/user';
import { openApiDocument } from '../../contracts';
import { sessionCookieFrom, signUp, type SignedUp } from '../../test/factories';
import { setupAuthTest, type AuthTestContext } from '../../test/setup';

const expectDocumented = openApiChecker(openApiDocument);
let ctx: AuthTestContext;

beforeAll(async () => {
  ctx = await setupAuthTest();
});
beforeEach(() => ctx.reset());
afterAll(() => ctx.close());

type VerificationEvent = EventEnvelope<'email-verification.requested'>;

/** The verification links mailed for a user, oldest first, once there are `count` of them. */
async function linksFor(userId: string, count = 1): Promise<VerificationEvent['data'][]> {
  return waitFor(async () => {
    const events = (await readEvents(ctx.natsUrl, 'email-verification.requested'))
      .map((e) => (e as VerificationEvent).data)
      .filter((data) => data.userId === userId);
    return events.length >= count ? events : undefined;
  });
}

const confirm = (token: unknown, cookie?: string) => {
  const req = request(ctx.app).post('/api/users/email-verification/confirm');
  return (cookie ? req.set('Cookie', cookie) : req).send({ token });
};
const me = (cookie: string) => request(ctx.app).get('/api/users/me').set('Cookie', cookie);
const resend = (user: SignedUp, app = ctx.app) =>
  request(app).post('/api/users/me/email-verification').set('Cookie', user.cookie);
const changeEmail = (user: SignedUp, body: object, app = ctx.app) =>
  request(app).post('/api/users/me/email').set('Cookie', user.cookie).send(body);

describe('email verification at sign-up', () => {
  it('mails a single-use link for the new address, keeping only its hash', async () => {
    const user = await signUp(ctx.app);
    expect(user.res.body).toMatchObject({ emailVerified: false, pendingEmail: null });

    const [link] = await linksFor(user.id);
    expect(link).toMatchObject({ userId: user.id, email: user.email, version: 0 });
    expect(link!.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const lifetime = new Date(link!.expiresAt).getTime() - Date.now();
    expect(Math.round(lifetime / 3_600_000)).toBe(24);
    const [created] = await ctx.eventsFor('user.created', user.id);
    expect(created?.data).toMatchObject({ version: 0, emailVerified: false });
    // The token leaves the outbox once published (the relay removes the event after the stream
    // acknowledged it, a moment after it is readable there); from then on only its hash stays.
    const stored = await waitFor(async () => {
      const doc = await User.findById(user.id).lean();
      return doc?.outbox.length === 0 ? doc : undefined;
    });
    expect(stored.emailVerification?.tokenHash).toBe(hashResetToken(link!.token));
    expect(JSON.stringify(stored)).not.toContain(link!.token.slice(0, 20));
  });

  it('verifies the address once, without a session, and tells every service', async () => {
    const user = await signUp(ctx.app);
    const [link] = await linksFor(user.id);

    const res = await confirm(link!.token);

    expect(res.status).toBe(204);
    expectDocumented('post', '/api/users/email-verification/confirm', res);
    expect((await me(user.cookie)).body).toMatchObject({
      email: user.email,
      emailVerified: true,
      pendingEmail: null,
    });
    const [updated] = await ctx.eventsFor('user.updated', user.id);
    expect(updated?.data).toMatchObject({ version: 1, email: user.email, emailVerified: true });

    const again = await confirm(link!.token);
    expect(again.status).toBe(400);
    expectDocumented('post', '/api/users/email-verification/confirm', again);
    expect(again.body).toEqual({
      errors: [{ message: 'This verification link is invalid or has expired', field: 'token' }],
    });
  });

  it('refuses a token that is missing, unknown or expired, changing nothing', async () => {
    const user = await signUp(ctx.app);
    const [link] = await linksFor(user.id);
    await User.updateOne(
      { _id: user.id },
      { $set: { 'emailVerification.expiresAt': new Date(Date.now() - 1000) } },
    );
    for (const token of [undefined, 'x'.repeat(43), link!.token]) {
      const res = await confirm(token);
      expect(res.status).toBe(400);
      expect(res.body.errors[0]).toMatchObject({ field: 'token' });
    }
    expect((await me(user.cookie)).body.emailVerified).toBe(false);
  });

  it('mails a new link on request, which replaces the last one, and none once verified', async () => {
    const user = await signUp(ctx.app);
    const [first] = await linksFor(user.id);

    const res = await resend(user);

    expect(res.status).toBe(202);
    expectDocumented('post', '/api/users/me/email-verification', res);
    const [, second] = await linksFor(user.id, 2);
    expect(second!.token).not.toBe(first!.token);
    // Nothing replicated changed: the version every user event follows stays.
    expect((await User.findById(user.id).lean())?.version).toBe(0);
    expect((await confirm(first!.token)).status).toBe(400);
    expect((await confirm(second!.token)).status).toBe(204);

    const verified = await resend(user);
    expect(verified.status).toBe(409);
    expectDocumented('post', '/api/users/me/email-verification', verified);
    expect(verified.body).toEqual({
      errors: [{ message: 'Your email address is already verified' }],
    });
    expect((await request(ctx.app).post('/api/users/me/email-verification')).status).toBe(401);
  });

  it('limits the links a user may ask for', async () => {
    const app = ctx.buildApp({ env: { EMAIL_VERIFICATION_MAX_PER_USER: '2' } });
    const user = await signUp(app);
    for (let i = 0; i < 2; i += 1) expect((await resend(user, app)).status).toBe(202);
    const limited = await resend(user, app);
    expect(limited.status).toBe(429);
    expect(limited.body).toEqual({
      errors: [{ message: 'Too many verification emails, please try again later' }],
    });
  });
});

describe('an account from before verification', () => {
  it('counts as verified: its events say so, and it is not asked again', async () => {
    const user = await signUp(ctx.app);
    // As such an account is stored: no emailVerifiedAt at all.
    await User.collection.updateOne(
      { _id: new Types.ObjectId(user.id) },
      { $unset: { emailVerifiedAt: '', emailVerification: '' } },
    );
    expect((await me(user.cookie)).body).toMatchObject({ emailVerified: true });
    await request(ctx.app)
      .patch('/api/users/me')
      .set('Cookie', user.cookie)
      .send({ firstName: 'Old' })
      .expect(200);
    const [updated] = await ctx.eventsFor('user.updated', user.id);
    expect(updated?.data).toMatchObject({ firstName: 'Old', emailVerified: true });
    expect((await resend(user)).status).toBe(409);
  });
});

describe('POST /api/users/me/email', () => {
  it('keeps the address until the link mailed to the new one is opened, then takes it', async () => {
    const user = await signUp(ctx.app);
    const newEmail = `moved-${user.email}`;

    const res = await changeEmail(user, { email: newEmail.toUpperCase(), password: user.password });

    expect(res.status).toBe(202);
    expectDocumented('post', '/api/users/me/email', res);
    expect(res.body).toMatchObject({ email: user.email, pendingEmail: newEmail });
    const [, link] = await linksFor(user.id, 2);
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
    const [, link] = await linksFor(user.id, 2);
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
