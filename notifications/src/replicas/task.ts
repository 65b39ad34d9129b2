import {
  applyVersioned,
  TASK_STATUSES,
  type EventData,
  type VersionDecision,
} from '@taskforge/common';
import mongoose, { Schema } from 'mongoose';

export type TaskStatus = (typeof TASK_STATUSES)[number];

/**
 * What notifications keeps of a task, from `task.*`: enough to name it, find its people and scan
 * for due dates. Its listeners write the owner's fields and the due-soon scan writes only
 * `dueSoonNotifiedFor`, so neither overwrites the other's and no lock is needed between them.
 */
export interface TaskReplicaAttrs {
  _id: string;
  version: number;
  teamId: string;
  title: string;
  creatorId: string;
  assigneeId: string | null;
  status: TaskStatus;
  dueDate: Date | null;
  deleted: boolean;
  /** The due date a due-soon notification went out for; a new due date can notify again. */
  dueSoonNotifiedFor: Date | null;
}

const taskSchema = new Schema<TaskReplicaAttrs>(
  {
    _id: { type: String, required: true },
    version: { type: Number, required: true },
    teamId: { type: String, required: true },
    title: { type: String, required: true },
    creatorId: { type: String, required: true },
    assigneeId: { type: String, default: null },
    status: { type: String, enum: [...TASK_STATUSES], required: true },
    dueDate: { type: Date, default: null },
    deleted: { type: Boolean, default: false },
    dueSoonNotifiedFor: { type: Date, default: null },
  },
  { versionKey: false },
);
// The due-soon scan: tasks due in the next 24 hours, the rest compared in the query.
taskSchema.index({ dueDate: 1 });

export const TaskReplica = mongoose.model<TaskReplicaAttrs>('Task', taskSchema);

type TaskEventData = EventData<'task.created'>;

/** The replica's fields after a `task.created|updated` event (the scan's field is left alone). */
export function taskFields(
  data: TaskEventData,
): Omit<TaskReplicaAttrs, '_id' | 'version' | 'deleted' | 'dueSoonNotifiedFor'> {
  return {
    teamId: data.teamId,
    title: data.title,
    creatorId: data.creatorId,
    assigneeId: data.assigneeId,
    status: data.status,
    dueDate: data.dueDate ? new Date(data.dueDate) : null,
  };
}

/** Applies a `task.created|updated` event to the replica. */
export function applyTaskEvent(data: TaskEventData): Promise<VersionDecision> {
  return applyVersioned(TaskReplica, data, { ...taskFields(data), deleted: false });
}

export const STATUS_LABELS: Record<TaskStatus, string> = {
  backlog: 'Backlog',
  todo: 'To do',
  in_progress: 'In progress',
  in_review: 'In review',
  done: 'Done',
};
