import { waitFor } from '@taskforge/common/testing';
import request from 'supertest';
import { User } from '../../../models/user';
import { signUp } from '../../../test/factories';
import { expectDocumented } from '../../../test/openapi';
import { setupAuthTest, type AuthTestContext } from '../../../test/setup';

let ctx: AuthTestContext;

beforeAll(async () => {
  ctx = await setupAuthTest();
});
beforeEach(() => ctx.reset());
afterAll(() => ctx.close());

const patchMe = (cookie: string | undefined, body: unknown) => {
  const req = request(ctx.app).patch('/api/users/me');
  return (cookie ? req.set('Cookie', cookie) : req).send(body as object);
};

describe('PATCH /api/users/me', () => {
  const profile = {
    firstName: '  Ada ',
    lastName: 'Lovelace',
    bio: 'Analyst.',
    avatarUrl: 'https://images.example.test/ada.png',
    preferences: { theme: 'dark', notifications: { push: false, frequency: 'daily' } },
  };

  it('updates only the given fields and publishes user.updated with version 1', async () => {
    const user = await signUp(ctx.app);

    const res = await patchMe(user.cookie, profile);

    expect(res.status).toBe(200);
    expectDocumented('patch', '/api/users/me', res);
    expect(res.body).toMatchObject({
      id: user.id,
      email: user.email,
      firstName: 'Ada',
      lastName: 'Lovelace',
      bio: 'Analyst.',
      avatarUrl: 'https://images.example.test/ada.png',
      preferences: {
        theme: 'dark',
        notifications: { email: true, push: false, frequency: 'daily' },
      },
      version: 1,
    });
    const stored = await User.findById(user.id).lean();
    expect(stored).toMatchObject({ firstName: 'Ada', version: 1 });
    expect(stored?.preferences.notifications.email).toBe(true);

    const [event] = await ctx.eventsFor('user.updated', user.id);
    expect(event?.data).toEqual({
      id: user.id,
      version: 1,
      email: user.email,
      firstName: 'Ada',
      lastName: 'Lovelace',
      avatarUrl: 'https://images.example.test/ada.png',
      preferences: {
        theme: 'dark',
        notifications: { email: true, push: false, frequency: 'daily' },
      },
      // A profile change ends no session.
      sessionVersion: 0,
      emailVerified: false,
    });
    expect(event?.metadata.actorId).toBe(user.id);
  });

  it('clears text fields with null and keeps the rest', async () => {
    const user = await signUp(ctx.app);
    await patchMe(user.cookie, profile).expect(200);

    const res = await patchMe(user.cookie, { bio: null, avatarUrl: null });

    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ firstName: 'Ada', bio: null, avatarUrl: null, version: 2 });
    const events = await ctx.eventsFor('user.updated', user.id, 2);
    expect(events.map((e) => e.data.version)).toEqual([1, 2]);
  });

  it('answers 200 without a new version or event when nothing changes', async () => {
    const user = await signUp(ctx.app);
    await ctx.eventsFor('user.created', user.id);
    await waitFor(async () => (await User.findById(user.id).lean())?.outbox.length === 0);

    const res = await patchMe(user.cookie, { firstName: null, preferences: { theme: 'system' } });

    expect(res.status).toBe(200);
    expect(res.body.version).toBe(0);
    expect((await User.findById(user.id).lean())?.outbox).toEqual([]);
  });

  it('answers 401 when signed out', async () => {
    const res = await patchMe(undefined, { firstName: 'Ada' });
    expect(res.status).toBe(401);
    expectDocumented('patch', '/api/users/me', res);
  });

  it.each([
    ['a first name over 100 characters', { firstName: 'x'.repeat(101) }, 'firstName'],
    ['a last name that is not a string', { lastName: 42 }, 'lastName'],
    ['a bio over 1000 characters', { bio: 'x'.repeat(1001) }, 'bio'],
    ['an avatar URL that is not http(s)', { avatarUrl: 'javascript:alert(1)' }, 'avatarUrl'],
    [
      'an avatar URL over 2048 characters',
      { avatarUrl: `https://e.test/${'x'.repeat(2040)}` },
      'avatarUrl',
    ],
    ['an unknown theme', { preferences: { theme: 'neon' } }, 'preferences.theme'],
    ['a theme given as an array', { preferences: { theme: ['dark'] } }, 'preferences.theme'],
    [
      'a non-boolean notification flag',
      { preferences: { notifications: { email: 'yes' } } },
      'preferences.notifications.email',
    ],
    [
      'an unknown frequency',
      { preferences: { notifications: { frequency: 'monthly' } } },
      'preferences.notifications.frequency',
    ],
    ['preferences that are not an object', { preferences: 'dark' }, 'preferences'],
  ])('answers 400 for %s', async (_case, body, field) => {
    const user = await signUp(ctx.app);
    const res = await patchMe(user.cookie, body);
    expect(res.status).toBe(400);
    expectDocumented('patch', '/api/users/me', res);
    expect(res.body.errors).toEqual([
      { message: expect.not.stringMatching(/^Invalid value$/), field },
    ]);
    expect((await User.findById(user.id).lean())?.version).toBe(0);
  });

  it.each([
    ['at the top level', { firstName: 'Ada', email: 'admin@example.test' }, 'email'],
    [
      'inside preferences',
      { preferences: { theme: 'dark', language: 'fr' } },
      'preferences.language',
    ],
    ['such as the password hash', { passwordHash: 'scrypt$1' }, 'passwordHash'],
  ])('answers 400 for unknown fields %s and changes nothing', async (_case, body, field) => {
    const user = await signUp(ctx.app);
    const res = await patchMe(user.cookie, body);
    expect(res.status).toBe(400);
    expectDocumented('patch', '/api/users/me', res);
    expect(res.body.errors).toEqual([{ message: 'Unknown field', field }]);
    const stored = await User.findById(user.id).lean();
    expect(stored).toMatchObject({ email: user.email, firstName: null, version: 0 });
  });

  it('answers 400 for a body that is a JSON array', async () => {
    const user = await signUp(ctx.app);
    const res = await patchMe(user.cookie, [{ firstName: 'Ada' }]);
    expect(res.status).toBe(400);
    expectDocumented('patch', '/api/users/me', res);
  });

  it('loses no update when several requests change the same user at once', async () => {
    const user = await signUp(ctx.app);
    const changes = [
      { firstName: 'Ada' },
      { lastName: 'Lovelace' },
      { avatarUrl: 'https://images.example.test/a.png' },
      { preferences: { theme: 'light' } },
      { preferences: { notifications: { email: false } } },
    ];

    const results = await Promise.all(changes.map((body) => patchMe(user.cookie, body)));

    expect(results.map((r) => r.status)).toEqual(changes.map(() => 200));
    const stored = await User.findById(user.id).lean();
    expect(stored).toMatchObject({
      firstName: 'Ada',
      lastName: 'Lovelace',
      avatarUrl: 'https://images.example.test/a.png',
      preferences: { theme: 'light', notifications: { email: false } },
      version: changes.length,
    });
    const events = await ctx.eventsFor('user.updated', user.id, changes.length);
    expect(events.map((e) => e.data.version)).toEqual([1, 2, 3, 4, 5]);
    expect(events.at(-1)?.data).toMatchObject({ firstName: 'Ada', lastName: 'Lovelace' });
  });
});
