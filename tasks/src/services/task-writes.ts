import {
  BadRequestError,
  editDocument,
  NotFoundError,
  type EventEnvelope,
  type EventMetadata,
  type Logger,
  type RecordedEvent,
} from '@taskforge/common';
import type { TaskResponse, TaskUpdate } from '../contracts/tasks';
import type { CommentDocument } from '../models/comment';
import { Ticket } from '../replicas/ticket';
import {
  fieldValue,
  findTask,
  MAX_CUSTOM_FIELDS,
  PRIORITY_RANK,
  snapshot,
  Task,
  taskEventData,
  toTaskResponse,
  weekOf,
  type Attachment,
  type ChangeableField,
  type ChangeableValues,
  type CustomFieldValue,
  type TaskAttrs,
  type TaskDocument,
  type TaskStatus,
} from '../models/task';
import { recordActivityAfterWrite } from './activity';
import {
  findTeamAccess,
  isActiveMember,
  requirePermission,
  type TeamAccess,
} from './authorization';
import type { StatsCache } from './stats-cache';
import type { TaskCache } from './task-cache';

/** What a route needs to finish any task write. */
export interface TaskWriteDeps {
  cache: TaskCache;
  stats: StatsCache;
  logger: Logger;
  eventsRecorded: () => void;
}

type Change<D> = (doc: D, nextVersion: number) => Promise<RecordedEvent[]> | RecordedEvent[];

/**
 * `editDocument`, and the events its save recorded, as stored (their ids and times key the
 * history): they are the tail of the document's outbox, behind events still waiting for the relay.
 */
export async function editWithEvents<D extends TaskDocument | CommentDocument>(
  load: () => Promise<D>,
  change: Change<D>,
  options: { metadata?: EventMetadata; eventsRecorded: () => void },
): Promise<{ doc: D; events: EventEnvelope[] }> {
  let waiting = 0;
  const doc = await editDocument(
    load,
    (doc, nextVersion) => {
      waiting = doc.outbox.length;
      return change(doc, nextVersion);
    },
    options,
  );
  return { doc, events: doc.outbox.slice(waiting) };
}

/**
 * The write path of every task route: `editDocument` saves the task with the events `change`
 * returns and tells the relay; once saved, before the response goes out, the cache holds the
 * saved version, the team's cached stats are superseded and the history gets its entries. The
 * response is built once, here (a deleted task is cached as its tombstone).
 */
export async function editTask(
  load: () => Promise<TaskDocument>,
  change: Change<TaskDocument>,
  deps: TaskWriteDeps,
  metadata: EventMetadata,
): Promise<{ task: TaskDocument; response: TaskResponse }> {
  const { doc: task, events } = await editWithEvents(load, change, {
    metadata,
    eventsRecorded: deps.eventsRecorded,
  });
  const response = toTaskResponse(task);
  if (events.length > 0) {
    const cached = task.deletedAt
      ? { id: response.id, version: task.version, deleted: true as const }
      : response;
    await Promise.all([
      deps.cache.storeAfterWrite(cached, deps.logger),
      deps.stats.bump(task.teamId, task.statsBucket),
      recordActivityAfterWrite(events, deps.logger),
    ]);
  }
  return { task, response };
}

/** The task and the user's access to its team; strangers get 404, as if it did not exist. */
export async function findTaskWithAccess(
  id: string,
  userId: string,
): Promise<{ task: TaskDocument; access: TeamAccess }> {
  const task = await findTask(id);
  if (!task) throw new NotFoundError('Task not found');
  const access = await findTeamAccess(task.teamId, userId, 'Task not found');
  return { task, access };
}

export async function assertAssignable(teamId: string, assigneeId: string | null | undefined) {
  if (assigneeId && !(await isActiveMember(teamId, assigneeId))) {
    throw new BadRequestError('Assignee must be a member of the team', 'assigneeId');
  }
}

export async function assertTicketKnown(ticketId: string | null | undefined) {
  if (!ticketId) return;
  const ticket = await Ticket.findById(ticketId, { deleted: 1 }).lean();
  if (!ticket || ticket.deleted) throw new BadRequestError('No such ticket', 'ticketId');
}

/** The next free position at the end of a status column. */
export async function endOfColumn(teamId: string, status: TaskStatus): Promise<number> {
  const last = await Task.findOne({ teamId, status, deletedAt: null }, { position: 1 })
    .sort({ position: -1, _id: -1 })
    .lean();
  return last ? Math.floor(last.position) + 1 : 0;
}

/** Sets or clears what completion means: completedAt, its week bucket and the cycle time. */
export function applyCompletion(task: TaskDocument, now: Date): void {
  if (task.status === 'done' && !task.completedAt) {
    task.completedAt = now;
    task.completedWeek = weekOf(now);
    task.cycleTimeMs = Math.max(0, now.getTime() - task.createdAt.getTime());
  } else if (task.status !== 'done' && task.completedAt) {
    task.completedAt = null;
    task.completedWeek = null;
    task.cycleTimeMs = null;
  }
}

export type TaskChanges = Record<string, { from: unknown; to: unknown }>;

const sameJson = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** `{ field: { from, to } }` for every field whose value differs between the snapshots. */
function diff(before: ChangeableValues, after: ChangeableValues): TaskChanges {
  const changes: TaskChanges = {};
  for (const [field, from] of Object.entries(before)) {
    const to = after[field as ChangeableField];
    if (!sameJson(from, to)) changes[field] = { from, to };
  }
  return changes;
}

/** The `task.updated` a change of the task records: where the task is now, and what changed. */
export function taskUpdated(
  task: TaskDocument,
  version: number,
  changes: TaskChanges,
): RecordedEvent {
  return { subject: 'task.updated', data: { ...taskEventData(task, version), changes } };
}

/**
 * Applies a PATCH to the task in memory after checking the user may make each change: the
 * assignee needs `task.assign`, every other field `task.update`. Returns the changes
 * `task.updated` reports, none when the request changes nothing.
 */
export async function applyTaskInput(
  task: TaskDocument,
  input: Omit<TaskUpdate, 'version'>,
  access: TeamAccess,
  now: Date,
): Promise<TaskChanges> {
  const before = snapshot(task);
  const customFields = mergeCustomFields(task.customFields, input.customFields);
  if (Object.keys(customFields).length > MAX_CUSTOM_FIELDS) {
    throw new BadRequestError(`At most ${MAX_CUSTOM_FIELDS} custom fields`, 'customFields');
  }
  const requested: Partial<Pick<TaskAttrs, ChangeableField>> = { ...input, customFields };
  // A field changes when the value sent shows otherwise than the task's does now.
  const changing = (Object.keys(requested) as ChangeableField[]).filter((field) => {
    const value = requested[field];
    return value !== undefined && !sameJson(fieldValue(field, value), before[field]);
  });
  const assigneeChanges = changing.includes('assigneeId');
  if (changing.some((field) => field !== 'assigneeId')) requirePermission(access, 'task.update');
  if (assigneeChanges) requirePermission(access, 'task.assign');
  if (changing.length === 0) return {};

  if (assigneeChanges) await assertAssignable(task.teamId, input.assigneeId);
  if (changing.includes('ticketId')) await assertTicketKnown(input.ticketId);

  for (const field of changing) task.set(field, requested[field]);
  if (changing.includes('priority')) task.priorityRank = PRIORITY_RANK[task.priority];
  // Moving to another column puts the task at its end unless the client says where.
  if (changing.includes('status') && input.position === undefined) {
    task.position = await endOfColumn(task.teamId, task.status);
  }
  applyCompletion(task, now);
  return diff(before, snapshot(task));
}

/**
 * Adds or removes an attachment. `task.updated` keeps the task's version chain gapless for
 * consumers of `task.*`; `attachment.added` or `attachment.removed` tells who cares about files.
 */
export function changeAttachments(
  task: TaskDocument,
  version: number,
  change: 'added' | 'removed',
  attachment: Attachment,
): RecordedEvent[] {
  const count = task.attachments.length;
  if (change === 'added') task.attachments.push(attachment);
  else
    task.set(
      'attachments',
      task.attachments.filter((a) => a.id !== attachment.id),
    );
  const data = {
    id: attachment.id,
    taskId: task._id.toString(),
    teamId: task.teamId,
    version,
    name: attachment.name,
    size: attachment.size,
    mimetype: attachment.mimetype,
    uploadedBy: attachment.uploadedBy,
  };
  return [
    taskUpdated(task, version, { attachments: { from: count, to: task.attachments.length } }),
    change === 'added'
      ? { subject: 'attachment.added', data }
      : { subject: 'attachment.removed', data },
  ];
}

function mergeCustomFields(
  current: Record<string, CustomFieldValue>,
  patch: Record<string, CustomFieldValue | null> | undefined,
): Record<string, CustomFieldValue> {
  const merged: Record<string, CustomFieldValue> = { ...(current ?? {}) };
  for (const [key, value] of Object.entries(patch ?? {})) {
    if (value === null) delete merged[key];
    else merged[key] = value;
  }
  return merged;
}
