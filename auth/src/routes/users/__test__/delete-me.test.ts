import {
  buildEvent,
  EventConsumer,
  EventPublisher,
  type EventData,
  type Role,
} from '@taskforge/common';
import { consumerSettled, readEvents, waitFor } from '@taskforge/common/testing';
import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { authListeners } from '../../../events/listeners';
import { PasswordReset } from '../../../models/password-reset';
import { User } from '../../../models/user';
import { signUp, type SignedUp } from '../../../test/factories';
import { expectDocumented } from '../../../test/openapi';
import { setupAuthTest, type AuthTestContext } from '../../../test/setup';

let ctx: AuthTestContext;
let consumer: EventConsumer;
let publisher: EventPublisher;

beforeAll(async () => {
  ctx = await setupAuthTest();
  publisher = new EventPublisher(ctx.bus.js);
  // auth's durable consumer as the service runs it: its copy of the teams' admins.
  consumer = new EventConsumer(ctx.bus, {
    durable: 'auth',
    listeners: authListeners(),
    logger: ctx.logger,
    ackWaitMs: 1000,
    retryDelayMs: 20,
    maxRetryDelayMs: 100,
  });
  await consumer.start();
});
beforeEach(() => ctx.reset());
afterAll(async () => {
  await consumer.stop();
  await ctx.close();
});

const deleteAccount = (cookie: string | undefined, body: object) => {
  const req = request(ctx.app).delete('/api/users/me');
  return (cookie ? req.set('Cookie', cookie) : req).send(body);
};
const me = (cookie: string) => request(ctx.app).get('/api/users/me').set('Cookie', cookie);

const newId = () => randomBytes(12).toString('hex');

/** A team in teams' stream, its version counted here like teams would. */
async function team(name: string, members: Record<string, Role>) {
  const id = newId();
  await publisher.publish(
    buildEvent('team.created', {
      id,
      version: 0,
      name,
      createdBy: Object.keys(members)[0]!,
      permissions: { admin: [], member: [], guest: [] },
    }),
  );
  for (const [userId, role] of Object.entries(members)) {
    await publisher.publish(buildEvent('member.added', { teamId: id, userId, role, version: 0 }));
  }
  await consumerSettled(ctx.bus.jsm, 'auth');
  return id;
}

async function memberEvent(
  subject: 'member.updated' | 'member.removed',
  data: EventData<'member.updated'>,
) {
  await publisher.publish(buildEvent(subject, data));
  await consumerSettled(ctx.bus.jsm, 'auth');
}

async function deletedEventOf(user: SignedUp) {
  return waitFor(async () =>
    (await readEvents(ctx.natsUrl, 'user.deleted')).find((e) => e.data.id === user.id),
  );
}

describe('DELETE /api/users/me', () => {
  it('turns the account into a tombstone, publishes user.deleted and ends every session', async () => {
    const user = await signUp(ctx.app);
    await request(ctx.app)
      .patch('/api/users/me')
      .set('Cookie', user.cookie)
      .send({ firstName: 'Grace', lastName: 'Hopper', bio: 'COBOL' })
      .expect(200);
    const other = await request(ctx.app)
      .post('/api/users/signin')
      .send({ email: user.email, password: user.password });
    const otherCookie = String(other.get('Set-Cookie')?.[0]).split(';')[0]!;
    await request(ctx.app).post('/api/users/password-reset').send({ email: user.email });
    await waitFor(async () => (await PasswordReset.countDocuments({ userId: user.id })) === 1);

    const res = await deleteAccount(user.cookie, { password: user.password });

    expect(res.status).toBe(204);
    expectDocumented('delete', '/api/users/me', res);
    expect(String(res.get('Set-Cookie'))).toMatch(/session=;.*expires=Thu, 01 Jan 1970/);
    // Both sessions end at once in auth, and nothing answers for the account any more.
    for (const cookie of [user.cookie, otherCookie]) expect((await me(cookie)).status).toBe(401);
    expect((await request(ctx.app).get(`/api/users/${user.id}`)).status).toBe(404);
    const signin = await request(ctx.app)
      .post('/api/users/signin')
      .send({ email: user.email, password: user.password });
    expect(signin.status).toBe(400);
    expect(await PasswordReset.countDocuments({ userId: user.id })).toBe(0);

    // The event carries the version after the profile change (0 sign-up, 1 profile), nothing else.
    const event = await deletedEventOf(user);
    expect(event?.data).toEqual({ id: user.id, version: 2 });
    // Once its events are published (the relay empties the outbox a moment after the stream has
    // them), nothing of the person is left.
    const tombstone = await waitFor(async () => {
      const doc = await User.findById(user.id).select('+passwordHash').lean();
      return doc?.outbox.length === 0 ? doc : undefined;
    });
    expect(tombstone).toMatchObject({ version: 2, deletedAt: expect.any(Date) });
    const kept = JSON.stringify(tombstone);
    for (const personal of [user.email, 'Grace', 'Hopper', 'COBOL']) {
      expect(kept).not.toContain(personal);
    }

    // The address is free again: a new account, a new id.
    const again = await signUp(ctx.app, { email: user.email });
    expect(again.id).not.toBe(user.id);
  });

  it('needs the password, and changes nothing when it is wrong or missing', async () => {
    const user = await signUp(ctx.app);
    const wrong = await deleteAccount(user.cookie, { password: 'not my password' });
    expect(wrong.status).toBe(400);
    expectDocumented('delete', '/api/users/me', wrong);
    expect(wrong.body).toEqual({ errors: [{ message: 'Invalid credentials', field: 'password' }] });
    const missing = await deleteAccount(user.cookie, {});
    expect(missing.status).toBe(400);
    expect(missing.body).toEqual({
      errors: [{ message: 'You must supply a password', field: 'password' }],
    });
    expect((await deleteAccount(undefined, { password: user.password })).status).toBe(401);
    expect((await me(user.cookie)).status).toBe(200);
    expect((await User.findById(user.id).lean())?.deletedAt).toBeNull();
  });

  it('refuses the last admin of a team, naming it, until another member is made admin', async () => {
    const user = await signUp(ctx.app);
    const colleague = newId();
    const mine = await team('Apollo', { [user.id]: 'admin', [colleague]: 'member' });
    const gemini = await team('Gemini', { [user.id]: 'admin' });
    // Teams that do not hang on this user: another admin, or the user is no admin.
    await team('Mercury', { [colleague]: 'admin', [user.id]: 'admin' });
    await team('Skylab', { [colleague]: 'admin', [user.id]: 'member' });

    const refused = await deleteAccount(user.cookie, { password: user.password });

    expect(refused.status).toBe(409);
    expectDocumented('delete', '/api/users/me', refused);
    expect(refused.body).toEqual({
      errors: [
        {
          message:
            'You are the last admin of "Apollo" and "Gemini": make another member an admin of ' +
            'each of them, or delete each of them, before deleting your account',
        },
      ],
    });
    expect((await me(user.cookie)).status).toBe(200);

    // Apollo gets a second admin; Gemini is deleted.
    await memberEvent('member.updated', {
      teamId: mine,
      userId: colleague,
      role: 'admin',
      version: 1,
      previousRole: 'member',
    });
    const stillGemini = await deleteAccount(user.cookie, { password: user.password });
    expect(stillGemini.status).toBe(409);
    expect(stillGemini.body.errors[0].message).toMatch(
      /^You are the last admin of "Gemini": make another member an admin of it, or delete it,/,
    );
    await publisher.publish(buildEvent('team.deleted', { id: gemini, version: 1, name: 'Gemini' }));
    await consumerSettled(ctx.bus.jsm, 'auth');

    expect((await deleteAccount(user.cookie, { password: user.password })).status).toBe(204);
  });

  it('counts an admin who left as no admin', async () => {
    const user = await signUp(ctx.app);
    const former = newId();
    const id = await team('Voyager', { [user.id]: 'admin', [former]: 'admin' });
    await memberEvent('member.removed', { teamId: id, userId: former, role: 'admin', version: 1 });
    const refused = await deleteAccount(user.cookie, { password: user.password });
    expect(refused.status).toBe(409);
    expect(refused.body.errors[0].message).toMatch(/"Voyager"/);
  });
});
