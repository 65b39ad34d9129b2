import request from 'supertest';
import type { LiveMessage } from '../../live/live-feed';
import { Notification } from '../../models/notification';
import { buildTask, newId, signIn } from '../../test/factories';
import { insertNotifications, liveMessages } from '../../test/inspect';
import { expectDocumented } from '../../test/openapi';
import { setupNotificationsTest, type NotificationsTestContext } from '../../test/setup';

let ctx: NotificationsTestContext;

beforeAll(async () => {
  ctx = await setupNotificationsTest();
});
beforeEach(() => ctx.reset());
afterAll(() => ctx.close());

const unreadCount = (cookie: string) =>
  request(ctx.app).get('/api/notifications/unread-count').set('Cookie', cookie);

async function countMessages(userId: string) {
  return (await liveMessages(ctx.redis, ctx.redisPrefix)).filter(
    (m): m is Extract<LiveMessage, { type: 'unread-count' }> =>
      m.type === 'unread-count' && m.userId === userId,
  );
}

describe('POST /api/notifications/:id/read', () => {
  it('marks my notification read, lowers the count once and tells my browsers', async () => {
    const me = signIn();
    await ctx.publish('task.created', buildTask({ assigneeId: me.id }));
    await ctx.publish('task.created', buildTask({ assigneeId: me.id }));
    await ctx.settled();
    const before = await unreadCount(me.cookie).expect(200);
    expectDocumented('get', '/api/notifications/unread-count', before);
    expect(before.body).toEqual({ count: 2 });
    const [notification] = await Notification.find({ recipientId: me.id }).lean();

    const res = await request(ctx.app)
      .post(`/api/notifications/${notification!._id.toHexString()}/read`)
      .set('Cookie', me.cookie);
    expect(res.status).toBe(200);
    expectDocumented('post', '/api/notifications/{id}/read', res);
    expect(res.body).toMatchObject({ id: notification!._id.toHexString(), read: true });
    expect(res.body.readAt).toEqual(expect.any(String));
    expect(await Notification.findById(notification!._id).lean()).toMatchObject({ read: true });
    expect((await unreadCount(me.cookie)).body).toEqual({ count: 1 });
    expect((await countMessages(me.id)).at(-1)?.data).toEqual({ count: 1 });

    // Again: nothing changes, nothing is announced.
    const messages = (await countMessages(me.id)).length;
    await request(ctx.app)
      .post(`/api/notifications/${notification!._id.toHexString()}/read`)
      .set('Cookie', me.cookie)
      .expect(200);
    expect((await unreadCount(me.cookie)).body).toEqual({ count: 1 });
    expect(await countMessages(me.id)).toHaveLength(messages);
  });

  it('answers 404 for another user’s notification and leaves it unread', async () => {
    const [theirs] = await insertNotifications(newId(), [{}]);
    const res = await request(ctx.app)
      .post(`/api/notifications/${theirs!._id.toHexString()}/read`)
      .set('Cookie', signIn().cookie);
    expect(res.status).toBe(404);
    expectDocumented('post', '/api/notifications/{id}/read', res);
    expect(res.body).toEqual({ errors: [{ message: 'Notification not found' }] });
    expect(await Notification.findById(theirs!._id).lean()).toMatchObject({ read: false });
  });

  it.each(['nope', '0123', '$ne'])('answers 404 for the malformed id %s', async (id) => {
    const res = await request(ctx.app)
      .post(`/api/notifications/${id}/read`)
      .set('Cookie', signIn().cookie);
    expect(res.status).toBe(404);
  });

  it('answers 401 without a session', async () => {
    const [mine] = await insertNotifications(newId(), [{}]);
    const res = await request(ctx.app).post(`/api/notifications/${mine!._id.toHexString()}/read`);
    expect(res.status).toBe(401);
    expectDocumented('post', '/api/notifications/{id}/read', res);
  });
});

describe('POST /api/notifications/read-all', () => {
  it('marks all of mine read and none of anyone else’s', async () => {
    const me = signIn();
    const other = newId();
    await insertNotifications(me.id, [{}, {}, { read: true, readAt: new Date() }]);
    await insertNotifications(other, [{}]);
    expect((await unreadCount(me.cookie)).body).toEqual({ count: 2 });

    const res = await request(ctx.app).post('/api/notifications/read-all').set('Cookie', me.cookie);
    expect(res.status).toBe(200);
    expectDocumented('post', '/api/notifications/read-all', res);
    expect(res.body).toEqual({ updated: 2, unreadCount: 0 });
    expect(await Notification.countDocuments({ recipientId: me.id, read: false })).toBe(0);
    expect(await Notification.countDocuments({ recipientId: other, read: false })).toBe(1);
    expect((await countMessages(me.id)).at(-1)?.data).toEqual({ count: 0 });

    const again = await request(ctx.app)
      .post('/api/notifications/read-all')
      .set('Cookie', me.cookie)
      .expect(200);
    expect(again.body).toEqual({ updated: 0, unreadCount: 0 });
  });

  it('answers 401 without a session', async () => {
    const res = await request(ctx.app).post('/api/notifications/read-all');
    expect(res.status).toBe(401);
    expectDocumented('post', '/api/notifications/read-all', res);
  });
});

describe('GET /api/notifications/unread-count', () => {
  it('rebuilds a missing counter from MongoDB and keeps it in Redis', async () => {
    const me = signIn();
    await insertNotifications(me.id, [{}, {}, {}, { read: true }]);
    const key = `${ctx.redisPrefix}:unread:{${me.id}}`;
    expect(await ctx.redis.exists(key)).toBe(0);

    expect((await unreadCount(me.cookie).expect(200)).body).toEqual({ count: 3 });
    expect(await ctx.redis.get(key)).toBe('3');
    expect(await ctx.redis.ttl(key)).toBeGreaterThan(0);
  });

  it('answers 401 without a session', async () => {
    const res = await request(ctx.app).get('/api/notifications/unread-count');
    expect(res.status).toBe(401);
    expectDocumented('get', '/api/notifications/unread-count', res);
  });
});
