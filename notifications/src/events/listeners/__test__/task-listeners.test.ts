import { buildEvent, EVENT_STREAM, type EventEnvelope } from '@taskforge/common';
import { Types } from 'mongoose';
import { waitFor } from '@taskforge/common/testing';
import { EmailDelivery } from '../../../models/email-delivery';
import { Notification } from '../../../models/notification';
import { TaskReplica } from '../../../replicas/task';
import { buildTask, buildUser, deleteTask, newId, updateTask } from '../../../test/factories';
import { inboxOf, liveMessages } from '../../../test/inspect';
import { setupNotificationsTest, type NotificationsTestContext } from '../../../test/setup';

let ctx: NotificationsTestContext;

beforeAll(async () => {
  ctx = await setupNotificationsTest();
});
afterAll(() => ctx.close());

/** Publishes an event that was already published, as a redelivery would bring it again. */
async function publishAgain(event: EventEnvelope) {
  await ctx.bus.js.publish(event.subject, JSON.stringify(event));
}

describe('task.created', () => {
  it('notifies the assignee, by the actor’s name, and tells the team’s boards', async () => {
    const actor = buildUser({ firstName: 'Ana', lastName: 'Lima' });
    await ctx.publish('user.created', actor);
    const assigneeId = newId();
    const task = buildTask({ creatorId: actor.id, assigneeId, title: 'Ship it' });

    const event = await ctx.publish('task.created', task, { actorId: actor.id });
    await ctx.settled();

    const [notification, ...others] = await inboxOf(assigneeId);
    expect(others).toEqual([]);
    expect(notification).toMatchObject({
      kind: 'task.assigned',
      sourceEventId: event.id,
      actorId: actor.id,
      teamId: task.teamId,
      taskId: task.id,
      title: 'Ana Lima assigned you “Ship it”',
      link: `/teams/${task.teamId}/tasks/${task.id}`,
      read: false,
    });
    expect(await inboxOf(actor.id)).toEqual([]);
    expect(await ctx.services.counter.get(assigneeId)).toBe(1);
    expect(await EmailDelivery.findById(notification!._id).lean()).toMatchObject({
      recipientId: assigneeId,
      status: 'pending',
    });
    expect(await TaskReplica.findById(task.id).lean()).toMatchObject({
      version: 0,
      assigneeId,
      status: 'todo',
    });

    const live = await liveMessages(ctx.redis, ctx.redisPrefix);
    expect(live).toEqual(
      expect.arrayContaining([
        {
          type: 'notification',
          userId: assigneeId,
          data: expect.objectContaining({ id: notification!._id.toHexString() }),
        },
        { type: 'unread-count', userId: assigneeId, data: { count: 1 } },
        {
          type: 'board',
          event: 'task.created',
          teamId: task.teamId,
          data: expect.objectContaining({ id: task.id, version: 0 }),
        },
      ]),
    );
  });

  it('notifies nobody when the actor assigns the task to themselves', async () => {
    const me = newId();
    const task = buildTask({ creatorId: me, assigneeId: me });
    await ctx.publish('task.created', task, { actorId: me });
    await ctx.settled();
    expect(await inboxOf(me)).toEqual([]);
    expect(await TaskReplica.exists({ _id: task.id })).toBeTruthy();
  });

  it('makes one notification of an event delivered twice', async () => {
    const assigneeId = newId();
    const task = buildTask({ assigneeId });
    const event = await ctx.publish('task.created', task, { actorId: task.creatorId });
    await publishAgain(event);
    await ctx.settled();

    expect(await inboxOf(assigneeId)).toHaveLength(1);
    expect(await ctx.services.counter.get(assigneeId)).toBe(1);
    const info = await ctx.bus.jsm.consumers.info(EVENT_STREAM, 'notifications');
    expect(info.num_redelivered).toBe(0);
  });

  it('finds a notification stored before ids came from the event, and makes no second one', async () => {
    const assigneeId = newId();
    const task = buildTask({ assigneeId });
    const event = buildEvent('task.created', task, { actorId: task.creatorId });
    const legacyId = new Types.ObjectId();
    await Notification.collection.insertOne({
      _id: legacyId,
      sourceEventId: event.id,
      recipientId: assigneeId,
      kind: 'task.assigned',
      actorId: task.creatorId,
      teamId: task.teamId,
      taskId: task.id,
      title: 'Stored by an older version',
      link: '/',
      read: false,
      readAt: null,
      createdAt: new Date(),
    });

    await publishAgain(event);
    await ctx.settled();

    expect((await inboxOf(assigneeId)).map((n) => n._id.toHexString())).toEqual([
      legacyId.toHexString(),
    ]);
    // The email part of the stored notification is finished, as for any redelivery.
    expect(await EmailDelivery.findById(legacyId).lean()).toMatchObject({ status: 'pending' });
  });
});

describe('task.updated', () => {
  it('tells the creator and the assignee about a status change, but not the actor', async () => {
    const creatorId = newId();
    const assigneeId = newId();
    const task = buildTask({ creatorId, assigneeId, title: 'Review' });
    await ctx.publish('task.created', task, { actorId: creatorId });
    const moved = updateTask(task, { status: 'in_progress' });
    const event = await ctx.publish('task.updated', moved, { actorId: assigneeId });
    await ctx.settled();

    const [statusChange, ...rest] = await Notification.find({ sourceEventId: event.id }).lean();
    expect(rest).toEqual([]);
    expect(statusChange).toMatchObject({
      recipientId: creatorId,
      kind: 'task.status_changed',
      title: 'Someone moved “Review” to In progress',
    });
    expect(await TaskReplica.findById(task.id).lean()).toMatchObject({
      version: 1,
      status: 'in_progress',
    });
  });

  it('gives a new assignee one notification even when the status changed too', async () => {
    const creatorId = newId();
    const actorId = newId();
    const newAssignee = newId();
    const task = buildTask({ creatorId });
    await ctx.publish('task.created', task, { actorId: creatorId });
    const update = updateTask(task, { assigneeId: newAssignee, status: 'in_review' });
    const event = await ctx.publish('task.updated', update, { actorId });
    await ctx.settled();

    const made = await Notification.find({ sourceEventId: event.id })
      .sort({ recipientId: 1 })
      .lean();
    expect(made.map((n) => [n.recipientId, n.kind]).sort()).toEqual(
      [
        [creatorId, 'task.status_changed'],
        [newAssignee, 'task.assigned'],
      ].sort(),
    );
  });

  it('notifies nobody about changes other than assignee and status', async () => {
    const assigneeId = newId();
    const task = buildTask({ assigneeId });
    await ctx.publish('task.created', task, { actorId: task.creatorId });
    const event = await ctx.publish('task.updated', updateTask(task, { title: 'Renamed' }), {
      actorId: task.creatorId,
    });
    await ctx.settled();
    expect(await Notification.countDocuments({ sourceEventId: event.id })).toBe(0);
    expect(await TaskReplica.findById(task.id).lean()).toMatchObject({ title: 'Renamed' });
  });

  it('applies events that arrive out of order once each, in version order', async () => {
    const creatorId = newId();
    const assigneeId = newId();
    const task = buildTask({ creatorId });
    const v1 = updateTask(task, { assigneeId });
    const v2 = updateTask(v1 as typeof task, { status: 'done' });

    // The newest first: each waits (is redelivered) until the one before it was applied.
    const second = await ctx.publish('task.updated', v2, { actorId: assigneeId });
    const first = await ctx.publish('task.updated', v1, { actorId: creatorId });
    await ctx.publish('task.created', task, { actorId: creatorId });
    await ctx.settled();

    expect(await TaskReplica.findById(task.id).lean()).toMatchObject({
      version: 2,
      status: 'done',
      assigneeId,
    });
    expect(await Notification.find({ sourceEventId: first.id }).lean()).toEqual([
      expect.objectContaining({ recipientId: assigneeId, kind: 'task.assigned' }),
    ]);
    expect(await Notification.find({ sourceEventId: second.id }).lean()).toEqual([
      expect.objectContaining({ recipientId: creatorId, kind: 'task.status_changed' }),
    ]);
    const boards = (await liveMessages(ctx.redis, ctx.redisPrefix)).filter(
      (m) => m.type === 'board' && m.data.id === task.id,
    );
    expect(boards.map((m) => (m.type === 'board' ? m.data.version : -1))).toEqual([0, 1, 2]);
  });
});

describe('task.deleted', () => {
  it('marks the replica deleted and tells the boards', async () => {
    const task = buildTask({ dueDate: new Date(Date.now() + 3600_000).toISOString() });
    await ctx.publish('task.created', task);
    await ctx.publish('task.deleted', deleteTask(task));
    await ctx.settled();
    expect(await TaskReplica.findById(task.id).lean()).toMatchObject({
      version: 1,
      deleted: true,
    });
    await waitFor(async () =>
      (await liveMessages(ctx.redis, ctx.redisPrefix)).some(
        (m) => m.type === 'board' && m.event === 'task.deleted' && m.data.id === task.id,
      ),
    );
  });
});
