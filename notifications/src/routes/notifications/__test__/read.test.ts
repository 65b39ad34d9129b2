import request from 'supertest';
import { Notification } from '../../../models/notification';
import { buildTask, newId, signIn } from '../../../test/factories';
import { insertNotifications } from '../../../test/inspect';
import { expectDocumented } from '../../../test/openapi';
import { inboxPerTest } from '../../../test/inbox';

const given = inboxPerTest();
const { unreadCount, countMessages } = given;

describe('POST /api/notifications/:id/read', () => {
  it('marks my notification read, lowers the count once and tells my browsers', async () => {
    const me = signIn();
    await given.ctx.publish('task.created', buildTask({ assigneeId: me.id }));
    await given.ctx.publish('task.created', buildTask({ assigneeId: me.id }));
    await given.ctx.settled();
    const before = await unreadCount(me.cookie).expect(200);
    expectDocumented('get', '/api/notifications/unread-count', before);
    expect(before.body).toEqual({ count: 2 });
    const [notification] = await Notification.find({ recipientId: me.id }).lean();

    const res = await request(given.app)
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
    await request(given.app)
      .post(`/api/notifications/${notification!._id.toHexString()}/read`)
      .set('Cookie', me.cookie)
      .expect(200);
    expect((await unreadCount(me.cookie)).body).toEqual({ count: 1 });
    expect(await countMessages(me.id)).toHaveLength(messages);
  });

  it('answers 404 for another user’s notification and leaves it unread', async () => {
    const [theirs] = await insertNotifications(newId(), [{}]);
    const res = await request(given.app)
      .post(`/api/notifications/${theirs!._id.toHexString()}/read`)
      .set('Cookie', signIn().cookie);
    expect(res.status).toBe(404);
    expectDocumented('post', '/api/notifications/{id}/read', res);
    expect(res.body).toEqual({ errors: [{ message: 'Notification not found' }] });
    expect(await Notification.findById(theirs!._id).lean()).toMatchObject({ read: false });
  });

  it.each(['nope', '0123', '$ne'])('answers 404 for the malformed id %s', async (id) => {
    const res = await request(given.app)
      .post(`/api/notifications/${id}/read`)
      .set('Cookie', signIn().cookie);
    expect(res.status).toBe(404);
  });

  it('answers 401 without a session', async () => {
    const [mine] = await insertNotifications(newId(), [{}]);
    const res = await request(given.app).post(`/api/notifications/${mine!._id.toHexString()}/read`);
    expect(res.status).toBe(401);
    expectDocumented('post', '/api/notifications/{id}/read', res);
  });
});
