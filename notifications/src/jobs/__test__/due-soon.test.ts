import { TaskReplica } from '../../replicas/task';
import { Notification } from '../../models/notification';
import { buildTask, deleteTask, newId, updateTask } from '../../test/factories';
import { inboxOf } from '../../test/inspect';
import { setupNotificationsTest, type NotificationsTestContext } from '../../test/setup';

let ctx: NotificationsTestContext;

beforeAll(async () => {
  ctx = await setupNotificationsTest();
});
afterAll(() => ctx.close());

const NOW = new Date('2030-03-01T12:00:00Z');
const hoursFromNow = (hours: number) => new Date(NOW.getTime() + hours * 3600_000).toISOString();

describe('due-soon scan', () => {
  it('notifies the assignee of an open task due within 24 hours, once per due date', async () => {
    const assigneeId = newId();
    const task = buildTask({ assigneeId, title: 'Release', dueDate: hoursFromNow(5) });
    await ctx.publish('task.created', task, { actorId: assigneeId });
    await ctx.settled();

    await ctx.services.scanDueSoon(NOW);
    await ctx.services.scanDueSoon(NOW);
    const [due, ...more] = await inboxOf(assigneeId);
    expect(more).toEqual([]);
    expect(due).toMatchObject({
      kind: 'task.due_soon',
      title: '“Release” is due within 24 hours',
      taskId: task.id,
      actorId: null,
    });
    expect(await TaskReplica.findById(task.id).lean()).toMatchObject({
      dueSoonNotifiedFor: new Date(hoursFromNow(5)),
    });

    // A new due date notifies again, once.
    const moved = updateTask(task, { dueDate: hoursFromNow(20) });
    await ctx.publish('task.updated', moved, { actorId: assigneeId });
    await ctx.settled();
    expect(await TaskReplica.findById(task.id).lean()).toMatchObject({
      dueDate: new Date(hoursFromNow(20)),
      dueSoonNotifiedFor: new Date(hoursFromNow(5)),
    });
    await ctx.services.scanDueSoon(NOW);
    await ctx.services.scanDueSoon(NOW);
    expect(await inboxOf(assigneeId)).toHaveLength(2);
  });

  it('leaves out tasks that are done, unassigned, deleted, overdue or due later', async () => {
    const assigneeId = newId();
    const tasks = [
      buildTask({ assigneeId, dueDate: hoursFromNow(2), status: 'done' }),
      buildTask({ assigneeId: null, dueDate: hoursFromNow(2) }),
      buildTask({ assigneeId, dueDate: hoursFromNow(-1) }),
      buildTask({ assigneeId, dueDate: hoursFromNow(30) }),
      buildTask({ assigneeId, dueDate: null }),
    ];
    const deleted = buildTask({ assigneeId, dueDate: hoursFromNow(3) });
    for (const task of [...tasks, deleted]) await ctx.publish('task.created', task);
    await ctx.publish('task.deleted', deleteTask(deleted));
    await ctx.settled();

    await ctx.services.scanDueSoon(NOW);
    expect(
      await Notification.countDocuments({ recipientId: assigneeId, kind: 'task.due_soon' }),
    ).toBe(0);
  });

  it('notifies the assignee even when it is the task’s creator (no actor for a scan)', async () => {
    const me = newId();
    await ctx.publish(
      'task.created',
      buildTask({ creatorId: me, assigneeId: me, dueDate: hoursFromNow(1) }),
      { actorId: me },
    );
    await ctx.settled();
    await ctx.services.scanDueSoon(NOW);
    expect(await inboxOf(me)).toHaveLength(1);
  });
});
