import {
  isObjectId,
  outboxPlugin,
  TASK_PRIORITIES,
  TASK_STATUSES,
  type EventData,
  type OutboxFields,
} from '@taskforge/common';
import mongoose, { Schema, type HydratedDocument } from 'mongoose';
import type { TaskResponse } from '../contracts/tasks';
import type { AllowedMimetype } from '../services/uploads';

export type TaskStatus = (typeof TASK_STATUSES)[number];
export type TaskPriority = (typeof TASK_PRIORITIES)[number];
export type CustomFieldValue = string | number | boolean | Date;

export const TITLE_MAX_LENGTH = 200;
export const DESCRIPTION_MAX_LENGTH = 20_000;
export const MAX_TAGS = 20;
export const TAG_MAX_LENGTH = 40;
export const MAX_CUSTOM_FIELDS = 50;
export const CUSTOM_FIELD_KEY = /^[A-Za-z0-9_-]{1,40}$/;
export const CUSTOM_FIELD_STRING_MAX_LENGTH = 500;

/** Sorting by priority sorts by this rank, stored beside the name (urgent is highest). */
export const PRIORITY_RANK: Record<TaskPriority, number> = {
  low: 0,
  medium: 1,
  high: 2,
  urgent: 3,
};

export interface Attachment {
  id: string;
  name: string;
  size: number;
  mimetype: AllowedMimetype;
  /** The object's key in the bucket; never shown to clients. */
  storageKey: string;
  uploadedAt: Date;
  uploadedBy: string;
}

export interface TaskAttrs extends OutboxFields {
  teamId: string;
  title: string;
  description: string;
  status: TaskStatus;
  priority: TaskPriority;
  priorityRank: number;
  assigneeId: string | null;
  creatorId: string;
  dueDate: Date | null;
  tags: string[];
  customFields: Record<string, CustomFieldValue>;
  ticketId: string | null;
  attachments: Attachment[];
  position: number;
  createdAt: Date;
  updatedAt: Date;
  completedAt: Date | null;
  /** Soft delete: the document stays until the relay has published `task.deleted`. */
  deletedAt: Date | null;
  // Stored at write time for the dashboard, whose buckets read them. (Computing weeks in the
  // pipeline is not an option: DocumentDB 0.106.0's `$dateTrunc` by week with
  // `startOfWeek: 'monday'` answered a week early when measured here.)
  createdWeek: string;
  completedWeek: string | null;
  cycleTimeMs: number | null;
  statsBucket: number;
  version: number;
}

export type TaskDocument = HydratedDocument<TaskAttrs>;

const attachmentSchema = new Schema<Attachment>(
  {
    id: { type: String, required: true },
    name: { type: String, required: true },
    size: { type: Number, required: true },
    mimetype: { type: String, required: true },
    storageKey: { type: String, required: true },
    uploadedAt: { type: Date, required: true },
    uploadedBy: { type: String, required: true },
  },
  { _id: false },
);

/** A team's stats are kept in this many parts, so that a write recomputes only its own. */
export const STATS_BUCKETS = 64;
export const ALL_STATS_BUCKETS: readonly number[] = Array.from(
  { length: STATS_BUCKETS },
  (_v, i) => i,
);

/** The stats bucket of a task id: the low bits of an ObjectId's counter, even across tasks. */
export function statsBucketOf(id: string): number {
  return Number.parseInt(id.slice(-6), 16) % STATS_BUCKETS;
}

const taskSchema = new Schema<TaskAttrs>(
  {
    teamId: { type: String, required: true },
    title: { type: String, required: true, trim: true, maxlength: TITLE_MAX_LENGTH },
    description: { type: String, default: '', maxlength: DESCRIPTION_MAX_LENGTH },
    status: { type: String, enum: TASK_STATUSES, required: true },
    priority: { type: String, enum: TASK_PRIORITIES, required: true },
    priorityRank: { type: Number, required: true },
    assigneeId: { type: String, default: null },
    creatorId: { type: String, required: true },
    dueDate: { type: Date, default: null },
    tags: { type: [String], default: [] },
    customFields: { type: Schema.Types.Mixed, default: {} },
    ticketId: { type: String, default: null },
    attachments: { type: [attachmentSchema], default: [] },
    position: { type: Number, required: true },
    completedAt: { type: Date, default: null },
    deletedAt: { type: Date, default: null },
    createdWeek: { type: String, required: true },
    completedWeek: { type: String, default: null },
    cycleTimeMs: { type: Number, default: null },
    // Which of the team's stats buckets the task counts in (services/stats-cache): fixed by its id.
    statsBucket: { type: Number, required: true },
  },
  {
    // Every save bumps `version` and fails on a stale copy (409 across pods); each save records
    // the event carrying the version it produces.
    optimisticConcurrency: true,
    versionKey: 'version',
    timestamps: true,
    minimize: false,
  },
);
outboxPlugin(taskSchema);
taskSchema.pre('validate', function () {
  this.statsBucket ??= statsBucketOf(String(this._id));
});

// Every list query starts with teamId; each sort has its own index ending in the _id tie-break.
taskSchema.index({ teamId: 1, createdAt: -1, _id: -1 });
taskSchema.index({ teamId: 1, updatedAt: -1, _id: -1 });
taskSchema.index({ teamId: 1, dueDate: 1, _id: 1 });
taskSchema.index({ teamId: 1, priorityRank: -1, _id: -1 });
taskSchema.index({ teamId: 1, position: 1, _id: 1 });
taskSchema.index({ teamId: 1, status: 1, position: 1, _id: 1 });
taskSchema.index({ teamId: 1, status: 1, dueDate: 1 });
taskSchema.index({ teamId: 1, priority: 1, createdAt: -1 });
taskSchema.index({ teamId: 1, assigneeId: 1, dueDate: 1 });
taskSchema.index({ teamId: 1, tags: 1 });
taskSchema.index({ teamId: 1, ticketId: 1 });
taskSchema.index({ teamId: 1, statsBucket: 1 });
// The search (services/task-list): a team's tasks by the words of their title and description.
taskSchema.index(
  { teamId: 1, title: 'text', description: 'text' },
  { name: 'teamId_text', default_language: 'english' },
);

export const Task = mongoose.model<TaskAttrs>('Task', taskSchema);

/** Loads a live task; a malformed id or a soft-deleted task finds nothing. */
export function findTask(id: string): Promise<TaskDocument | null> {
  if (!isObjectId(id)) return Promise.resolve(null);
  return Task.findById(id)
    .exec()
    .then((task) => (task && !task.deletedAt ? task : null));
}

/** Monday 00:00 UTC of the date's ISO week, as `YYYY-MM-DD`: the dashboard's week bucket. */
export function weekOf(date: Date): string {
  const day = (date.getUTCDay() + 6) % 7;
  const monday = new Date(
    Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate() - day),
  );
  return monday.toISOString().slice(0, 10);
}

const iso = (date: Date | null) => (date ? date.toISOString() : null);

function customFieldsResponse(
  fields: Record<string, CustomFieldValue> | undefined,
): Record<string, string | number | boolean> {
  return Object.fromEntries(
    Object.entries(fields ?? {}).map(([key, value]) => [
      key,
      value instanceof Date ? value.toISOString() : value,
    ]),
  );
}

/**
 * The fields of a task a write may change, each as responses, `task.updated`'s `changes` and the
 * history show it (JSON values: dates as ISO strings). The one list of them: the response, the
 * snapshot a write compares and the check of what a PATCH changes are all made from it.
 */
const CHANGEABLE_FIELDS = {
  title: (value: string) => value,
  description: (value: string | undefined) => value ?? '',
  status: (value: TaskStatus) => value,
  priority: (value: TaskPriority) => value,
  assigneeId: (value: string | null | undefined) => value ?? null,
  dueDate: (value: Date | null | undefined) => iso(value ?? null),
  tags: (value: string[] | undefined) => [...(value ?? [])],
  customFields: customFieldsResponse,
  ticketId: (value: string | null | undefined) => value ?? null,
  position: (value: number) => value,
  completedAt: (value: Date | null | undefined) => iso(value ?? null),
} satisfies { [F in keyof TaskAttrs]?: (value: TaskAttrs[F]) => unknown };

export type ChangeableField = keyof typeof CHANGEABLE_FIELDS;
export type ChangeableValues = {
  [F in ChangeableField]: ReturnType<(typeof CHANGEABLE_FIELDS)[F]>;
};
// The same table, typed so that a field looked up keeps its own value type.
const toJson: { [F in ChangeableField]: (value: TaskAttrs[F]) => ChangeableValues[F] } =
  CHANGEABLE_FIELDS;
const changeableFields = Object.keys(CHANGEABLE_FIELDS) as ChangeableField[];

/** One changeable field's value as JSON. */
export function fieldValue<F extends ChangeableField>(
  field: F,
  value: TaskAttrs[F],
): ChangeableValues[F] {
  return toJson[field](value);
}

/** The task's changeable fields as JSON: what a write compares before and after. */
export function snapshot(task: TaskAttrs): ChangeableValues {
  const values = {} as Record<ChangeableField, unknown>;
  for (const field of changeableFields) values[field] = fieldValue(field, task[field]);
  return values as ChangeableValues;
}

export function toTaskResponse(task: TaskAttrs & { _id: unknown }): TaskResponse {
  return {
    id: String(task._id),
    teamId: task.teamId,
    creatorId: task.creatorId,
    ...snapshot(task),
    attachments: (task.attachments ?? []).map((a) => ({
      id: a.id,
      name: a.name,
      size: a.size,
      mimetype: a.mimetype,
      uploadedAt: a.uploadedAt.toISOString(),
      uploadedBy: a.uploadedBy,
    })),
    createdAt: task.createdAt.toISOString(),
    updatedAt: task.updatedAt.toISOString(),
    version: task.version,
  };
}

/** What `task.*` events carry about the task; `version` is the one the pending save produces. */
export function taskEventData(task: TaskDocument, version: number): EventData<'task.created'> {
  return {
    id: task._id.toString(),
    version,
    teamId: task.teamId,
    title: task.title,
    status: task.status,
    priority: task.priority,
    assigneeId: task.assigneeId,
    creatorId: task.creatorId,
    dueDate: iso(task.dueDate),
    ticketId: task.ticketId,
    tags: [...task.tags],
    position: task.position,
  };
}
