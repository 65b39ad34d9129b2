import request from 'supertest';
import { signIn } from '../../../test/factories';
import { insertNotifications } from '../../../test/inspect';
import { expectDocumented } from '../../../test/openapi';
import { inboxPerTest } from '../../../test/inbox';

const given = inboxPerTest();
const { unreadCount } = given;

describe('GET /api/notifications/unread-count', () => {
  it('rebuilds a missing counter from MongoDB and keeps it in Redis', async () => {
    const me = signIn();
    await insertNotifications(me.id, [{}, {}, {}, { read: true }]);
    const key = `${given.ctx.redisPrefix}:unread:{${me.id}}`;
    expect(await given.ctx.redis.exists(key)).toBe(0);

    expect((await unreadCount(me.cookie).expect(200)).body).toEqual({ count: 3 });
    expect(await given.ctx.redis.get(key)).toBe('3');
    expect(await given.ctx.redis.ttl(key)).toBeGreaterThan(0);
  });

  it('answers 401 without a session', async () => {
    const res = await request(given.app).get('/api/notifications/unread-count');
    expect(res.status).toBe(401);
    expectDocumented('get', '/api/notifications/unread-count', res);
  });
});
