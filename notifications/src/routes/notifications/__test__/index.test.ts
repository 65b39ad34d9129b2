import { buildEvent } from '@taskforge/common';
import request, { type Response } from 'supertest';
import type { NotificationResponse } from '../../../contracts/notifications';
import type { NotificationAttrs } from '../../../models/notification';
import { buildTask, newId, signIn } from '../../../test/factories';
import { insertNotifications } from '../../../test/inspect';
import { expectDocumented } from '../../../test/openapi';
import { inboxPerTest } from '../../../test/inbox';

const given = inboxPerTest();

const ids = (res: Response) => (res.body as NotificationResponse[]).map((n) => n.id);
const newestFirst = (docs: NotificationAttrs[]) =>
  [...docs]
    .sort(
      (a, b) =>
        b.createdAt.getTime() - a.createdAt.getTime() ||
        b._id.toHexString().localeCompare(a._id.toHexString()),
    )
    .map((n) => n._id.toHexString());

describe('GET /api/notifications', () => {
  it('answers 401 without a session', async () => {
    const res = await request(given.app).get('/api/notifications');
    expect(res.status).toBe(401);
    expectDocumented('get', '/api/notifications', res);
  });

  it('lists the signed-in user’s notifications made from events, newest first', async () => {
    const me = signIn();
    const first = buildTask({ assigneeId: me.id, title: 'First' });
    const second = buildTask({ assigneeId: me.id, title: 'Second' });
    await given.ctx.publish('task.created', first);
    await given.ctx.settled();
    await given.ctx.publish('task.created', second);
    await given.ctx.publish('task.created', buildTask({ assigneeId: newId() }));
    await given.ctx.settled();

    const res = await request(given.app).get('/api/notifications').set('Cookie', me.cookie);
    expect(res.status).toBe(200);
    expectDocumented('get', '/api/notifications', res);
    expect(res.body).toEqual([
      expect.objectContaining({ kind: 'task.assigned', taskId: second.id, read: false }),
      expect.objectContaining({ kind: 'task.assigned', taskId: first.id, readAt: null }),
    ]);
    expect(res.headers['x-next-cursor']).toBeUndefined();
  });

  it('lists events of one millisecond in the order the bus carried them, page after page', async () => {
    const me = signIn();
    const occurredAt = new Date().toISOString();
    const tasks = Array.from({ length: 8 }, (_, i) =>
      buildTask({ assigneeId: me.id, title: `T${i}` }),
    );
    // Published back to back, handled side by side by the consumer, all stamped the same time.
    const acks = await Promise.all(
      tasks.map((task) => {
        const event = { ...buildEvent('task.created', task), occurredAt };
        return given.ctx.bus.js.publish(event.subject, JSON.stringify(event));
      }),
    );
    await given.ctx.settled();
    const busOrder = tasks
      .map((task, i) => ({ id: task.id, seq: acks[i]!.seq }))
      .sort((a, b) => a.seq - b.seq)
      .map((task) => task.id);

    const seen: string[] = [];
    let next: string | undefined = '/api/notifications?limit=3';
    while (next) {
      const res = await request(given.app).get(next).set('Cookie', me.cookie);
      expect(res.status).toBe(200);
      seen.push(...(res.body as NotificationResponse[]).map((n) => n.taskId!));
      const cursor = res.headers['x-next-cursor'] as string | undefined;
      next = cursor ? `/api/notifications?limit=3&cursor=${cursor}` : undefined;
    }
    expect(seen).toEqual(busOrder.reverse());
  });

  it('never shows another user’s notifications', async () => {
    const me = signIn();
    await insertNotifications(newId(), [{}, {}]);
    const res = await request(given.app).get('/api/notifications').set('Cookie', me.cookie);
    expect(res.status).toBe(200);
    expect(res.body).toEqual([]);
  });

  it('lists only unread ones with unread=true', async () => {
    const me = signIn();
    const docs = await insertNotifications(me.id, [
      { read: true, readAt: new Date() },
      {},
      { read: true, readAt: new Date() },
      {},
    ]);
    const res = await request(given.app)
      .get('/api/notifications?unread=true')
      .set('Cookie', me.cookie)
      .expect(200);
    expectDocumented('get', '/api/notifications', res);
    expect(ids(res)).toEqual(newestFirst([docs[1]!, docs[3]!]));
    const all = await request(given.app)
      .get('/api/notifications?unread=false')
      .set('Cookie', me.cookie)
      .expect(200);
    expect(all.body).toHaveLength(4);
  });

  it('pages through every notification exactly once with X-Next-Cursor and Link', async () => {
    const me = signIn();
    const same = new Date(Date.UTC(2025, 5, 1, 12));
    const docs = await insertNotifications(me.id, [
      ...Array.from({ length: 8 }, () => ({ createdAt: same })),
      ...Array.from({ length: 9 }, () => ({})),
      ...Array.from({ length: 4 }, () => ({ read: true })),
    ]);
    const seen: string[] = [];
    const sizes: number[] = [];
    let res = await request(given.app)
      .get('/api/notifications?limit=6&unread=false')
      .set('Cookie', me.cookie)
      .expect(200);
    for (;;) {
      expectDocumented('get', '/api/notifications', res);
      seen.push(...ids(res));
      sizes.push(res.body.length);
      const link = res.headers.link as string | undefined;
      if (!link) break;
      expect(link).toBe(
        `</api/notifications?limit=6&unread=false&cursor=${res.headers['x-next-cursor']}>; rel="next"`,
      );
      res = await request(given.app)
        .get(/^<([^>]+)>/.exec(link)![1]!)
        .set('Cookie', me.cookie)
        .expect(200);
    }
    expect(sizes).toEqual([6, 6, 6, 3]);
    expect(seen).toEqual(newestFirst(docs));
  });

  it('returns 20 by default', async () => {
    const me = signIn();
    await insertNotifications(
      me.id,
      Array.from({ length: 21 }, () => ({})),
    );
    const res = await request(given.app).get('/api/notifications').set('Cookie', me.cookie);
    expect(res.body).toHaveLength(20);
    expect(res.headers['access-control-expose-headers']).toMatch(/X-Next-Cursor/);
  });

  it.each([
    ['limit=0', 'limit'],
    ['limit=101', 'limit'],
    ['limit=x', 'limit'],
    ['limit=1&limit=2', 'limit'],
    ['unread=yes', 'unread'],
    ['unread[$ne]=true', 'unread'],
    ['cursor=nope', 'cursor'],
    [`cursor=${Buffer.from('[1,"xyz"]').toString('base64url')}`, 'cursor'],
  ])('returns 400 on %s', async (query, field) => {
    const res = await request(given.app)
      .get(`/api/notifications?${query}`)
      .set('Cookie', signIn().cookie);
    expect(res.status).toBe(400);
    expectDocumented('get', '/api/notifications', res);
    expect(res.body.errors).toEqual([{ message: expect.any(String), field }]);
  });
});
