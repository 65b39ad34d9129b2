import { SESSION_VERSION_TTL_MS } from '@taskforge/common';
import { signinCookie, waitFor } from '@taskforge/common/testing';
import request from 'supertest';
import { UserReplica } from '../../../replicas/user';
import { buildUser } from '../../../test/factories';
import { setupNotificationsTest, type NotificationsTestContext } from '../../../test/setup';

let ctx: NotificationsTestContext;

beforeAll(async () => {
  ctx = await setupNotificationsTest();
});
afterAll(() => ctx.close());

describe('user.created / user.updated', () => {
  it('keeps the email address and notification preferences, applying versions in order', async () => {
    const user = buildUser({ email: 'first@example.test' });
    const v1 = { ...user, version: 1, email: 'second@example.test' };
    const v2 = {
      ...user,
      version: 2,
      email: 'third@example.test',
      firstName: 'Di',
      preferences: {
        ...user.preferences,
        notifications: { email: false, push: true, frequency: 'weekly' as const },
      },
    };
    await ctx.publish('user.updated', v2);
    await ctx.publish('user.updated', v1);
    await ctx.publish('user.created', user);
    await ctx.publish('user.updated', v1); // a duplicate: acked and ignored
    await ctx.settled();

    expect(await UserReplica.findById(user.id).lean()).toEqual({
      _id: user.id,
      version: 2,
      email: 'third@example.test',
      firstName: 'Di',
      lastName: null,
      emailEnabled: false,
      frequency: 'weekly',
      sessionVersion: 0,
      deleted: false,
    });
  });

  it('refuses a session the user ended elsewhere once user.updated says so, and takes the new one', async () => {
    const user = buildUser();
    const ended = signinCookie({ id: user.id, email: user.email }, { sessionVersion: 0 });
    const renewed = signinCookie({ id: user.id, email: user.email }, { sessionVersion: 1 });
    const unreadCount = (cookie: string) =>
      request(ctx.app).get('/api/notifications/unread-count').set('Cookie', cookie);
    await ctx.publish('user.created', user);
    await ctx.settled();
    expect((await unreadCount(ended.cookie)).status).toBe(200);

    await ctx.publish('user.updated', { ...user, version: 1, sessionVersion: 1 });
    await ctx.settled();
    expect((await UserReplica.findById(user.id).lean())?.sessionVersion).toBe(1);
    // Within the second this process trusts a session version it read.
    const applied = Date.now();
    await waitFor(async () => (await unreadCount(ended.cookie)).status === 401, {
      timeoutMs: 5000,
    });
    expect(Date.now() - applied).toBeLessThan(SESSION_VERSION_TTL_MS + 1000);
    expect((await unreadCount(renewed.cookie)).status).toBe(200);
  });
});
