import { TASK_STATUSES, type BoardTaskEvent, type Task, type TaskStatus } from './types';

export type Columns = Record<TaskStatus, Task[]>;

function byPosition(a: Task, b: Task): number {
  return a.position - b.position || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/** The board: one column per status, each in position order (ties by id, as tasks sorts). */
export function toColumns(tasks: readonly Task[]): Columns {
  const columns = Object.fromEntries(TASK_STATUSES.map((s) => [s, [] as Task[]])) as Columns;
  for (const task of tasks) columns[task.status].push(task);
  for (const status of TASK_STATUSES) columns[status].sort(byPosition);
  return columns;
}

/**
 * A position between two neighbours: their midpoint, one before the first card, one after the
 * last, 0 in an empty column. Positions are numbers, so only the moved task is written.
 */
export function positionBetween(before: number | undefined, after: number | undefined): number {
  if (before === undefined && after === undefined) return 0;
  if (before === undefined) return (after as number) - 1;
  if (after === undefined) return before + 1;
  return (before + after) / 2;
}

export interface Move {
  taskId: string;
  status: TaskStatus;
  /** Where the task lands among the target column's other cards. */
  index: number;
}

/** The board after a move, and the position to store for the moved task. */
export function applyMove(
  columns: Columns,
  move: Move,
): { columns: Columns; position: number } | null {
  const task = TASK_STATUSES.flatMap((s) => columns[s]).find((t) => t.id === move.taskId);
  if (!task) return null;
  const others = columns[move.status].filter((t) => t.id !== move.taskId);
  const index = Math.max(0, Math.min(move.index, others.length));
  const position = positionBetween(others[index - 1]?.position, others[index]?.position);
  const moved: Task = { ...task, status: move.status, position };
  const next = { ...columns };
  next[task.status] = columns[task.status].filter((t) => t.id !== move.taskId);
  next[move.status] = [...others.slice(0, index), moved, ...others.slice(index)];
  return { columns: next, position };
}

/** Where a task is: its column and index. */
export function locate(
  columns: Columns,
  taskId: string,
): { status: TaskStatus; index: number } | null {
  for (const status of TASK_STATUSES) {
    const index = columns[status].findIndex((t) => t.id === taskId);
    if (index >= 0) return { status, index };
  }
  return null;
}

export type Direction = 'up' | 'down' | 'left' | 'right';

/**
 * The move one key press makes with a picked-up card: up and down within its column, left and
 * right to the neighbouring column at the same height (or its end). Null at the board's edge.
 */
export function keyboardMove(columns: Columns, taskId: string, direction: Direction): Move | null {
  const at = locate(columns, taskId);
  if (!at) return null;
  const columnIndex = TASK_STATUSES.indexOf(at.status);
  if (direction === 'up' || direction === 'down') {
    const index = at.index + (direction === 'up' ? -1 : 1);
    if (index < 0 || index >= columns[at.status].length) return null;
    return { taskId, status: at.status, index };
  }
  const target = TASK_STATUSES[columnIndex + (direction === 'left' ? -1 : 1)];
  if (!target) return null;
  return { taskId, status: target, index: Math.min(at.index, columns[target].length) };
}

/** Adds or replaces a task (a newer version only) and keeps columns ordered. */
export function upsertTask(tasks: readonly Task[], task: Task): Task[] {
  const current = tasks.find((t) => t.id === task.id);
  if (current && current.version > task.version) return [...tasks];
  return [...tasks.filter((t) => t.id !== task.id), task];
}

export function removeTask(tasks: readonly Task[], taskId: string): Task[] {
  return tasks.filter((t) => t.id !== taskId);
}

/** Fields `task.updated` only tells among its changes, each with the value it changed to. */
const CHANGED_FIELDS = ['description', 'customFields', 'completedAt'] as const;
/** What the message states whole, and so may appear among its changes too. */
const STATED_FIELDS = [
  'title',
  'status',
  'priority',
  'assigneeId',
  'dueDate',
  'tags',
  'ticketId',
  'position',
] as const satisfies ReadonlyArray<keyof BoardTaskEvent & keyof Task>;

/**
 * The shown task as of a `task.updated` message, so the board can place it without reading it
 * again; undefined when the message cannot tell everything: it is not the very next version
 * (something in between was missed), it comes from before events carried `position`, or it
 * changes a field it only summarises (attachments are counted) or that this page does not know.
 */
export function taskAfterEvent(shown: Task, event: BoardTaskEvent): Task | undefined {
  if (event.version !== shown.version + 1) return undefined;
  if (STATED_FIELDS.some((field) => event[field] === undefined)) return undefined;
  const changes = event.changes ?? {};
  const known = new Set<string>([...STATED_FIELDS, ...CHANGED_FIELDS]);
  if (Object.keys(changes).some((field) => !known.has(field))) return undefined;
  const next: Task = { ...shown, version: event.version };
  for (const field of STATED_FIELDS) Object.assign(next, { [field]: event[field] });
  for (const field of CHANGED_FIELDS) {
    if (field in changes) Object.assign(next, { [field]: changes[field]?.to });
  }
  return next;
}
