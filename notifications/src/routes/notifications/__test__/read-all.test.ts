import request from 'supertest';
import { Notification } from '../../../models/notification';
import { newId, signIn } from '../../../test/factories';
import { insertNotifications } from '../../../test/inspect';
import { expectDocumented } from '../../../test/openapi';
import { inboxPerTest } from '../../../test/inbox';

const given = inboxPerTest();
const { unreadCount, countMessages } = given;

describe('POST /api/notifications/read-all', () => {
  it('marks all of mine read and none of anyone else’s', async () => {
    const me = signIn();
    const other = newId();
    await insertNotifications(me.id, [{}, {}, { read: true, readAt: new Date() }]);
    await insertNotifications(other, [{}]);
    expect((await unreadCount(me.cookie)).body).toEqual({ count: 2 });

    const res = await request(given.app)
      .post('/api/notifications/read-all')
      .set('Cookie', me.cookie);
    expect(res.status).toBe(200);
    expectDocumented('post', '/api/notifications/read-all', res);
    expect(res.body).toEqual({ updated: 2, unreadCount: 0 });
    expect(await Notification.countDocuments({ recipientId: me.id, read: false })).toBe(0);
    expect(await Notification.countDocuments({ recipientId: other, read: false })).toBe(1);
    expect((await countMessages(me.id)).at(-1)?.data).toEqual({ count: 0 });

    const again = await request(given.app)
      .post('/api/notifications/read-all')
      .set('Cookie', me.cookie)
      .expect(200);
    expect(again.body).toEqual({ updated: 0, unreadCount: 0 });
  });

  it('answers 401 without a session', async () => {
    const res = await request(given.app).post('/api/notifications/read-all');
    expect(res.status).toBe(401);
    expectDocumented('post', '/api/notifications/read-all', res);
  });
});
