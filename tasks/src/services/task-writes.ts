import { BadRequestError, NotFoundError, type Logger } from '@taskforge/common';
import type { TaskUpdate } from '../contracts/tasks';
import { Ticket } from '../models/ticket';
import {
  findTask,
  MAX_CUSTOM_FIELDS,
  PRIORITY_RANK,
  Task,
  toTaskResponse,
  weekOf,
  type CustomFieldValue,
  type TaskDocument,
  type TaskStatus,
} from '../models/task';
import { recordActivityAfterWrite, type ActivityEvent } from './activity';
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

/**
 * After a task and its events were saved: the cache holds the saved version and the team's
 * cached stats are superseded before the response goes out, the history gets its entries, the
 * relay publishes.
 */
export async function afterTaskWrite(
  task: TaskDocument,
  events: ActivityEvent[],
  deps: TaskWriteDeps,
): Promise<void> {
  deps.eventsRecorded();
  const cached = task.deletedAt
    ? { id: task._id.toString(), version: task.version, deleted: true as const }
    : toTaskResponse(task);
  await Promise.all([
    deps.cache.storeAfterWrite(cached, deps.logger),
    deps.stats.bump(task.teamId, task.statsBucket),
    recordActivityAfterWrite(events, deps.logger),
  ]);
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

type Snapshot = Record<string, unknown>;

/** The fields `task.updated` reports, as JSON values (dates as ISO strings). */
export function snapshot(task: TaskDocument): Snapshot {
  const response = toTaskResponse(task);
  return {
    title: response.title,
    description: response.description,
    status: response.status,
    priority: response.priority,
    assigneeId: response.assigneeId,
    dueDate: response.dueDate,
    tags: response.tags,
    customFields: response.customFields,
    ticketId: response.ticketId,
    position: response.position,
    completedAt: response.completedAt,
    attachments: response.attachments.length,
  };
}

/** `{ field: { from, to } }` for every field whose value differs between the snapshots. */
export function diff(
  before: Snapshot,
  after: Snapshot,
): Record<string, { from: unknown; to: unknown }> {
  const changes: Record<string, { from: unknown; to: unknown }> = {};
  for (const [field, from] of Object.entries(before)) {
    const to = after[field];
    if (JSON.stringify(from) !== JSON.stringify(to)) changes[field] = { from, to };
  }
  return changes;
}

const sameJson = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * Applies a PATCH to the task in memory after checking the user may make each change: the
 * assignee needs `task.assign`, every other field `task.update`. Returns whether anything changed.
 */
export async function applyTaskInput(
  task: TaskDocument,
  input: Omit<TaskUpdate, 'version'>,
  access: TeamAccess,
  now: Date,
): Promise<boolean> {
  const before = snapshot(task);
  const assigneeChanges = input.assigneeId !== undefined && input.assigneeId !== task.assigneeId;
  const customFields = mergeCustomFields(task.customFields, input.customFields);
  if (Object.keys(customFields).length > MAX_CUSTOM_FIELDS) {
    throw new BadRequestError(`At most ${MAX_CUSTOM_FIELDS} custom fields`, 'customFields');
  }
  const otherChanges =
    (input.title !== undefined && input.title !== task.title) ||
    (input.description !== undefined && input.description !== task.description) ||
    (input.status !== undefined && input.status !== task.status) ||
    (input.priority !== undefined && input.priority !== task.priority) ||
    (input.dueDate !== undefined &&
      (input.dueDate?.getTime() ?? null) !== (task.dueDate?.getTime() ?? null)) ||
    (input.tags !== undefined && !sameJson(input.tags, task.tags)) ||
    (input.ticketId !== undefined && input.ticketId !== task.ticketId) ||
    (input.position !== undefined && input.position !== task.position) ||
    !sameJson(customFields, task.customFields);
  if (otherChanges) requirePermission(access, 'task.update');
  if (assigneeChanges) requirePermission(access, 'task.assign');
  if (!otherChanges && !assigneeChanges) return false;

  if (assigneeChanges) await assertAssignable(task.teamId, input.assigneeId);
  if (input.ticketId !== undefined && input.ticketId !== task.ticketId) {
    await assertTicketKnown(input.ticketId);
  }

  const statusChanges = input.status !== undefined && input.status !== task.status;
  if (input.title !== undefined) task.title = input.title;
  if (input.description !== undefined) task.description = input.description;
  if (input.priority !== undefined) {
    task.priority = input.priority;
    task.priorityRank = PRIORITY_RANK[input.priority];
  }
  if (input.assigneeId !== undefined) task.assigneeId = input.assigneeId;
  if (input.dueDate !== undefined) task.dueDate = input.dueDate;
  if (input.tags !== undefined) task.tags = input.tags;
  if (input.ticketId !== undefined) task.ticketId = input.ticketId;
  if (!sameJson(customFields, task.customFields)) task.customFields = customFields;
  if (input.status !== undefined) task.status = input.status;
  // Moving to another column puts the task at its end unless the client says where.
  if (input.position !== undefined) task.position = input.position;
  else if (statusChanges) task.position = await endOfColumn(task.teamId, task.status);
  applyCompletion(task, now);
  return Object.keys(diff(before, snapshot(task))).length > 0;
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
