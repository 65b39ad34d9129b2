import { applyVersioned, type EventData, type VersionDecision } from '@taskforge/common';
import { TaskReplica, taskFields, withTaskLock } from '../models/task';

/** Applies a `task.created|updated` event to the replica, in turn with the due-soon scan. */
export function applyTaskEvent(data: EventData<'task.created'>): Promise<VersionDecision> {
  return withTaskLock(data.id, async () => {
    const previous = await TaskReplica.findById(data.id, {
      dueSoonNotifiedFor: 1,
      version: 1,
    }).lean();
    return applyVersioned(
      TaskReplica,
      data,
      { ...taskFields(data, previous), deleted: false },
      previous,
    );
  });
}

export const STATUS_LABELS: Record<EventData<'task.created'>['status'], string> = {
  backlog: 'Backlog',
  todo: 'To do',
  in_progress: 'In progress',
  in_review: 'In review',
  done: 'Done',
};
