import {
  documentLockKey,
  TASK_STATUSES,
  withDocumentLock,
  type EventData,
} from '@taskforge/common';
import mongoose, { Schema } from 'mongoose';

export type TaskStatus = (typeof TASK_STATUSES)[number];

/**
 * What notifications keeps of a task, from `task.*`: enough to name it, find its people and scan
 * for due dates. `dueSoonPending` is stored at write time (due date set and not yet notified for
 * that date) because FerretDB v1 cannot compare two fields in a query.
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
  dueSoonPending: boolean;
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
    dueSoonPending: { type: Boolean, default: false },
  },
  { versionKey: false },
);
// The due-soon scan: pending tasks by due date.
taskSchema.index({ dueSoonPending: 1, dueDate: 1 });

export const TaskReplica = mongoose.model<TaskReplicaAttrs>('Task', taskSchema);

/**
 * FerretDB v1 does not isolate concurrent updates of one document, and a task replica is written
 * by its listeners and by the due-soon scan: both go through this per-task queue.
 */
export function withTaskLock<T>(taskId: string, work: () => Promise<T>): Promise<T> {
  return withDocumentLock(documentLockKey(TaskReplica.modelName, taskId), work);
}

type TaskEventData = EventData<'task.created'>;

/** The replica's fields after a `task.created|updated` event, given what the replica held. */
export function taskFields(
  data: TaskEventData,
  previous: Pick<TaskReplicaAttrs, 'dueSoonNotifiedFor'> | null,
): Omit<TaskReplicaAttrs, '_id' | 'version' | 'deleted'> {
  const dueDate = data.dueDate ? new Date(data.dueDate) : null;
  const notifiedFor = previous?.dueSoonNotifiedFor ?? null;
  return {
    teamId: data.teamId,
    title: data.title,
    creatorId: data.creatorId,
    assigneeId: data.assigneeId,
    status: data.status,
    dueDate,
    dueSoonNotifiedFor: notifiedFor,
    dueSoonPending: dueDate !== null && dueDate.getTime() !== notifiedFor?.getTime(),
  };
}
