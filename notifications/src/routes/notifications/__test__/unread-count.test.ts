import request from 'supertest';
import { signIn } from '../../../test/factories';
import { insertNotifications } from '../../../test/inspect';
import { expectDocumented } from '../../../test/openapi';
import { setupNotificationsTest, type NotificationsTestContext } from '../../../test/setup';

let ctx: NotificationsTestContext;

beforeAll(async () => {
  ctx = await setupNotificationsTest();
});
beforeEach(() => ctx.reset());
afterAll(() => ctx.close());

const unreadCount = (cookie: string) =>
  request(ctx.app).get('/api/notifications/unread-count').set('Cookie', cookie);

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
