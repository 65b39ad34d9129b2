import { applyVersioned, type EventData, type VersionDecision } from '@taskforge/common';
import { TaskReplica, taskFields } from '../models/task';

/** Applies a `task.created|updated` event to the replica. */
export function applyTaskEvent(data: EventData<'task.created'>): Promise<VersionDecision> {
  return applyVersioned(TaskReplica, data, { ...taskFields(data), deleted: false });
}

export const STATUS_LABELS: Record<EventData<'task.created'>['status'], string> = {
  backlog: 'Backlog',
  todo: 'To do',
  in_progress: 'In progress',
  in_review: 'In review',
  done: 'Done',
};
