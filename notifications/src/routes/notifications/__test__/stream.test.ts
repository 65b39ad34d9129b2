import { waitFor } from '@taskforge/common/testing';
import type { Response } from 'supertest';
import { liveStreamKey } from '../../../live/live-feed';
import {
  buildTask,
  buildTeam,
  newId,
  signIn,
  updateTask,
  type SignedInUser,
} from '../../../test/factories';
import { expectDocumented } from '../../../test/openapi';
import { setupNotificationsTest, type NotificationsTestContext } from '../../../test/setup';
import { listen, openStream, type SseClient } from '../../../test/sse';

let ctx: NotificationsTestContext;
let server: { url: string; close(): Promise<void> };
const clients: SseClient[] = [];

beforeAll(async () => {
  ctx = await setupNotificationsTest({ env: { SSE_MAX_STREAMS_PER_USER: '2' } });
  server = await listen(ctx.app);
});
afterEach(() => {
  for (const client of clients.splice(0)) client.close();
});
afterAll(async () => {
  await server.close();
  await ctx.close();
});

async function connect(user: SignedInUser, lastEventId?: string, url = server.url) {
  const headers: Record<string, string> = { Cookie: user.cookie };
  if (lastEventId) headers['Last-Event-ID'] = lastEventId;
  const res = await openStream(url, headers);
  expect(res.status).toBe(200);
  clients.push(res.client!);
  return res.client!;
}

/** A team the user belongs to, as the teams service would announce it. */
async function joinTeam(userId: string) {
  const team = buildTeam();
  await ctx.publish('team.created', team);
  // Joining by themselves: no notification, so tests count only their own.
  await ctx.publish(
    'member.added',
    { teamId: team.id, userId, role: 'member', version: 0 },
    { actorId: userId },
  );
  await ctx.settled();
  return team.id;
}

const asDocumented = (status: number, body: unknown) =>
  ({ status, body, headers: {} }) as unknown as Response;

describe('GET /api/notifications/stream', () => {
  it('opens an unbuffered event stream with a retry hint and heartbeats', async () => {
    const res = await openStream(server.url, { Cookie: signIn().cookie });
    clients.push(res.client!);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/event-stream; charset=utf-8');
    expect(res.headers['cache-control']).toBe('no-cache, no-transform');
    expect(res.headers['x-accel-buffering']).toBe('no');
    await waitFor(() => res.client!.comments >= 2);
    expect(res.client!.retry).toBe(1000);
  });

  it('answers 401 without a session and 400 for a malformed Last-Event-ID', async () => {
    const anonymous = await openStream(server.url);
    expect(anonymous.status).toBe(401);
    expectDocumented('get', '/api/notifications/stream', asDocumented(401, anonymous.body));

    const bad = await openStream(server.url, {
      Cookie: signIn().cookie,
      'Last-Event-ID': 'yesterday',
    });
    expect(bad.status).toBe(400);
    expectDocumented('get', '/api/notifications/stream', asDocumented(400, bad.body));
  });

  it('delivers my new notification, my unread count and my teams’ board changes only', async () => {
    const me = signIn();
    const myTeam = await joinTeam(me.id);
    const client = await connect(me);

    const otherTeamTask = buildTask({ teamId: newId() });
    const task = buildTask({ teamId: myTeam, assigneeId: me.id, title: 'Live' });
    await ctx.publish('task.created', otherTeamTask);
    await ctx.publish('task.created', task, { actorId: task.creatorId });

    const notification = await client.next((m) => m.event === 'notification');
    expect(JSON.parse(notification.data)).toMatchObject({
      kind: 'task.assigned',
      taskId: task.id,
      read: false,
    });
    const count = await client.next((m) => m.event === 'unread-count');
    expect(JSON.parse(count.data)).toEqual({ count: 1 });
    const board = await client.next((m) => m.event === 'task.created');
    expect(JSON.parse(board.data)).toMatchObject({ id: task.id, version: 0, teamId: myTeam });
    expect(client.of('task.created').map((m) => JSON.parse(m.data).id)).toEqual([task.id]);
    expect(client.messages.every((m) => /^\d+-\d+$/.test(m.id ?? ''))).toBe(true);
  });

  it('streams where a moved task now sits (status and position) to the team’s boards', async () => {
    const me = signIn();
    const teamId = await joinTeam(me.id);
    const client = await connect(me);
    const task = buildTask({ teamId, position: 3 });
    await ctx.publish('task.created', task);
    const created = await client.next((m) => m.event === 'task.created');
    expect(JSON.parse(created.data)).toMatchObject({ id: task.id, status: 'todo', position: 3 });

    const inReview = updateTask(task, { status: 'in_review', position: 0.5 });
    await ctx.publish('task.updated', inReview);
    const moved = await client.next((m) => m.event === 'task.updated');
    expect(JSON.parse(moved.data)).toMatchObject({
      id: task.id,
      teamId,
      version: 1,
      status: 'in_review',
      position: 0.5,
      changes: { status: { from: 'todo', to: 'in_review' }, position: { from: 3, to: 0.5 } },
    });
    // A title edit leaves the card where it was, and still says where that is.
    await ctx.publish('task.updated', updateTask(inReview, { title: 'Renamed' }));
    const edited = await client.next(
      (m) => m.event === 'task.updated' && JSON.parse(m.data).version === 2,
    );
    expect(JSON.parse(edited.data)).toMatchObject({ title: 'Renamed', position: 0.5 });
  });

  it('stops sending a team’s board changes as soon as the member is removed', async () => {
    const me = signIn();
    const teamId = await joinTeam(me.id);
    const client = await connect(me);
    const before = buildTask({ teamId });
    await ctx.publish('task.created', before);
    await client.next((m) => m.event === 'task.created');

    await ctx.publish('member.removed', { teamId, userId: me.id, role: 'member', version: 1 });
    await ctx.settled();
    const after = buildTask({ teamId });
    await ctx.publish('task.created', after);
    // A notification published afterwards marks the point by which the change would have come.
    await ctx.publish('task.created', buildTask({ teamId: newId(), assigneeId: me.id }));
    await client.next((m) => m.event === 'notification');
    expect(client.of('task.created').map((m) => JSON.parse(m.data).id)).toEqual([before.id]);
  });

  it('replays what a reconnecting browser missed after Last-Event-ID, then goes on live', async () => {
    const me = signIn();
    const teamId = await joinTeam(me.id);
    const first = await connect(me);
    await ctx.publish('task.created', buildTask({ teamId, title: 'seen' }));
    const seen = await first.next((m) => m.event === 'task.created');
    first.close();

    const missed = buildTask({ teamId, assigneeId: me.id, title: 'missed' });
    await ctx.publish('task.created', missed);
    await ctx.publish('task.created', buildTask({ teamId: newId(), title: 'not mine' }));
    await ctx.settled();

    const resumed = await connect(me, seen.id);
    await resumed.next((m) => m.event === 'task.created');
    const live = buildTask({ teamId, title: 'live' });
    await ctx.publish('task.created', live);
    await resumed.next((m) => m.event === 'task.created' && JSON.parse(m.data).id === live.id);

    expect(resumed.messages.map((m) => m.event)).toEqual([
      'notification',
      'unread-count',
      'task.created',
      'task.created',
    ]);
    expect(resumed.of('task.created').map((m) => JSON.parse(m.data).title)).toEqual([
      'missed',
      'live',
    ]);
    const ids = resumed.messages.map((m) => m.id!);
    expect([...ids].sort()).toEqual(ids);
    expect(ids.every((id) => id > seen.id!)).toBe(true);
  });

  it('treats a Last-Event-ID from the future as no resume point', async () => {
    const me = signIn();
    const client = await connect(me, '99999999999999-0');
    await ctx.publish('task.created', buildTask({ assigneeId: me.id }));
    await client.next((m) => m.event === 'notification');
  });

  it('tells a browser to resync when what it missed is no longer kept', async () => {
    const me = signIn();
    const client = await connect(me);
    await ctx.publish('task.created', buildTask({ assigneeId: me.id }));
    const seen = await client.next((m) => m.event === 'notification');
    client.close();
    await ctx.publish('task.created', buildTask({ assigneeId: me.id }));
    await ctx.settled();
    await ctx.redis.xtrim(liveStreamKey(ctx.redisPrefix), 'MAXLEN', 0);

    const resumed = await connect(me, seen.id);
    await resumed.next((m) => m.event === 'resync');
    expect(resumed.of('notification')).toEqual([]);
  });

  it('delivers from every instance sharing the Redis: each pod’s browsers get each message', async () => {
    const other = await ctx.startInstance();
    const otherServer = await listen(other.app);
    try {
      const me = signIn();
      const teamId = await joinTeam(me.id);
      const onFirst = await connect(me);
      const onSecond = await connect(me, undefined, otherServer.url);
      const task = buildTask({ teamId, assigneeId: me.id });
      await ctx.publish('task.created', task);
      for (const client of [onFirst, onSecond]) {
        await client.next((m) => m.event === 'notification');
        await client.next((m) => m.event === 'task.created');
      }
    } finally {
      await otherServer.close();
    }
  });

  it('caps a user’s open streams and frees the slot when one closes', async () => {
    const me = signIn();
    const first = await connect(me);
    await connect(me);
    const refused = await openStream(server.url, { Cookie: me.cookie });
    expect(refused.status).toBe(429);
    expectDocumented('get', '/api/notifications/stream', asDocumented(429, refused.body));
    expect(refused.body).toEqual({ errors: [{ message: 'Too many open notification streams' }] });

    first.close();
    const reopened = await waitFor(async () => {
      const res = await openStream(server.url, { Cookie: me.cookie });
      if (res.status === 200) return res.client;
      return undefined;
    });
    clients.push(reopened!);
  });

  it('lets go of a stream when the browser disconnects', async () => {
    const me = signIn();
    const slots = `${ctx.redisPrefix}:streams:{${me.id}}`;
    const client = await connect(me);
    expect(ctx.services.hub.openStreamsOf(me.id)).toBe(1);
    expect(await ctx.redis.zcard(slots)).toBe(1);
    client.close();
    await waitFor(async () => ctx.services.hub.openStreamsOf(me.id) === 0);
    await waitFor(async () => (await ctx.redis.zcard(slots)) === 0);
  });
});
