import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { Notification } from '../../models/notification';
import { signIn } from '../../test/factories';
import { insertNotifications } from '../../test/inspect';
import { setupNotificationsTest, type NotificationsTestContext } from '../../test/setup';

let ctx: NotificationsTestContext;

beforeAll(async () => {
  ctx = await setupNotificationsTest();
});
beforeEach(() => ctx.reset());
afterAll(() => ctx.close());

function notifyMany(userId: string, count: number) {
  return Array.from({ length: count }, (_v, i) =>
    ctx.services.notifier.notify({ eventId: randomUUID() }, [
      { recipientId: userId, kind: 'task.assigned', title: `New ${i}`, link: '/teams/t' },
    ]),
  );
}

async function expectCounterMatchesInbox(userId: string) {
  const stored = await Notification.countDocuments({ recipientId: userId, read: false });
  // A counter left in Redis is what get() answers; one the races left uncached (every change
  // was in flight while it was counted) is rebuilt by get() and kept from then on.
  expect(await ctx.services.counter.get(userId)).toBe(stored);
  expect(await ctx.redis.get(`${ctx.redisPrefix}:unread:{${userId}}`)).toBe(String(stored));
  return stored;
}

describe('unread counts under concurrency', () => {
  it('ends at the stored count after concurrent reads, rebuilds and new notifications', async () => {
    const me = signIn();
    const existing = await insertNotifications(
      me.id,
      Array.from({ length: 12 }, () => ({})),
    );
    const read = (id: string) =>
      request(ctx.app).post(`/api/notifications/${id}/read`).set('Cookie', me.cookie).expect(200);
    const count = () =>
      request(ctx.app).get('/api/notifications/unread-count').set('Cookie', me.cookie).expect(200);

    // The counter does not exist yet: the first count requests rebuild it while the rest runs.
    await Promise.all([
      ...notifyMany(me.id, 15),
      ...existing
        .slice(0, 8)
        .flatMap((n) => [read(n._id.toHexString()), read(n._id.toHexString())]),
      ...Array.from({ length: 6 }, count),
    ]);

    expect(await expectCounterMatchesInbox(me.id)).toBe(12 - 8 + 15);
  });

  it('ends at the stored count when read-all races new notifications', async () => {
    const me = signIn();
    await insertNotifications(
      me.id,
      Array.from({ length: 5 }, () => ({})),
    );
    await ctx.services.counter.get(me.id); // the counter exists from here on
    await Promise.all([
      ...notifyMany(me.id, 10),
      request(ctx.app).post('/api/notifications/read-all').set('Cookie', me.cookie).expect(200),
      request(ctx.app).post('/api/notifications/read-all').set('Cookie', me.cookie).expect(200),
      ...notifyMany(me.id, 10),
    ]);
    await expectCounterMatchesInbox(me.id);
  });

  it('ends right when a read-all reaches Redis before the insert it also marked read', async () => {
    const me = signIn();
    await insertNotifications(me.id, [{}, {}]);
    expect(await ctx.services.counter.get(me.id)).toBe(2);
    // The insert is in MongoDB, its +1 not yet in Redis, when read-all marks all three read.
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let inserted!: () => void;
    const isIn = new Promise<void>((resolve) => (inserted = resolve));
    const insert = ctx.services.counter.change(
      me.id,
      async () => {
        await insertNotifications(me.id, [{}]);
        inserted();
        await held;
        return 1;
      },
      async (count) => count,
    );
    await isIn;
    await request(ctx.app).post('/api/notifications/read-all').set('Cookie', me.cookie).expect(200);
    // -3 on 2 while the insert is in flight: below zero for now, and read as 0.
    expect(await ctx.services.counter.get(me.id)).toBe(0);
    release();
    expect(await insert).toBe(0);
    await expectCounterMatchesInbox(me.id);
  });

  it('never shows less than zero, and counts a counter that drifted low again', async () => {
    const me = signIn();
    const key = `${ctx.redisPrefix}:unread:{${me.id}}`;
    const [n] = await insertNotifications(me.id, [{}, {}]);
    await ctx.redis.set(key, '0', 'EX', 60); // drifted low, as after a lost update
    await request(ctx.app)
      .post(`/api/notifications/${n!._id.toHexString()}/read`)
      .set('Cookie', me.cookie)
      .expect(200);
    // Below zero with nothing else in flight: dropped, and counted again from the inbox.
    expect(await ctx.redis.get(key)).toBeNull();
    await expectCounterMatchesInbox(me.id);
    expect(await ctx.services.counter.get(me.id)).toBe(1);
  });
});
