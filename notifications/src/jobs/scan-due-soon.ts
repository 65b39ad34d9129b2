import { TaskReplica } from '../replicas/task';
import type { Notifier } from '../services/notifier';
import { links, quoted } from '../services/links';

export const DUE_SOON_WINDOW_MS = 24 * 3600_000;

/**
 * Notifies the assignee of every open task due within the next 24 hours, once per due date:
 * the notification's source is the task and its due date, and the replica remembers the date it
 * notified for, so a moved due date notifies again and the same one never twice.
 */
export async function scanDueSoon(notifier: Notifier, now = new Date()): Promise<number> {
  const tasks = await TaskReplica.find({
    dueDate: { $gte: now, $lte: new Date(now.getTime() + DUE_SOON_WINDOW_MS) },
    // Not yet notified for this due date.
    $expr: { $ne: ['$dueSoonNotifiedFor', '$dueDate'] },
    deleted: false,
    status: { $ne: 'done' },
    assigneeId: { $ne: null },
  }).lean();

  for (const task of tasks) {
    const { _id: taskId, teamId, assigneeId, dueDate } = task;
    if (!assigneeId || !dueDate) continue;
    await notifier.notify({ eventId: `due-soon:${taskId}:${dueDate.toISOString()}` }, [
      {
        recipientId: assigneeId,
        kind: 'task.due_soon',
        title: `${quoted(task.title)} is due within 24 hours`,
        link: links.task(teamId, taskId),
        teamId,
        taskId,
      },
    ]);
    // Only while the due date is still the one notified for.
    await TaskReplica.updateOne(
      { _id: taskId, dueDate },
      { $set: { dueSoonNotifiedFor: dueDate } },
    );
  }
  return tasks.length;
}
