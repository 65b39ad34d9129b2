import { isObjectId } from '@taskforge/common';
import type { QueryFilter } from 'mongoose';
import type { TaskListQuery } from '../contracts/tasks';
import { Task, type TaskAttrs } from '../models/task';
import { parseIsoDate } from './dates';

/** Sortable fields and the stored field each sorts on (priority by rank, not by name). */
export const SORT_FIELDS = {
  createdAt: 'createdAt',
  updatedAt: 'updatedAt',
  dueDate: 'dueDate',
  priority: 'priorityRank',
  position: 'position',
} as const;
export type SortField = keyof typeof SORT_FIELDS;
export const SORTS = Object.keys(SORT_FIELDS).flatMap((field) => [field, `-${field}`]);
const DATE_SORTS = new Set<SortField>(['createdAt', 'updatedAt', 'dueDate']);

export interface Sort {
  field: SortField;
  direction: 1 | -1;
}

/** Where the previous page ended: the sort it belongs to, the sort value and the _id. */
export interface Cursor {
  sort: string;
  value: number | null;
  id: string;
}

export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify([cursor.sort, cursor.value, cursor.id])).toString('base64url');
}

export function decodeCursor(raw: string): Cursor | undefined {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
    if (!Array.isArray(parsed) || parsed.length !== 3) return undefined;
    const [sort, value, id] = parsed as unknown[];
    if (typeof sort !== 'string' || !SORTS.includes(sort)) return undefined;
    if (value !== null && (typeof value !== 'number' || !Number.isFinite(value))) return undefined;
    if (!isObjectId(id)) return undefined;
    return { sort, value, id };
  } catch {
    return undefined;
  }
}

export function parseSort(sort: string): Sort {
  const descending = sort.startsWith('-');
  return {
    field: (descending ? sort.slice(1) : sort) as SortField,
    direction: descending ? -1 : 1,
  };
}

/** The values a `customFields.<key>=<value>` filter matches: the string and what it spells. */
function customFieldValues(raw: string): unknown[] {
  const values: unknown[] = [raw];
  if (raw === 'true' || raw === 'false') values.push(raw === 'true');
  if (raw.trim() !== '' && Number.isFinite(Number(raw))) values.push(Number(raw));
  const asDate = parseIsoDate(raw);
  if (asDate) values.push(asDate);
  return values;
}

/** The filter of a list page: the team's live tasks, the query's filters, then the cursor. */
export function listFilter(
  query: TaskListQuery,
  userId: string,
  now: Date,
): { $and: QueryFilter<TaskAttrs>[] } {
  const conditions: QueryFilter<TaskAttrs>[] = [{ teamId: query.teamId, deletedAt: null }];
  if (query.status) conditions.push({ status: { $in: query.status } });
  if (query.priority) conditions.push({ priority: { $in: query.priority } });
  if (query.assigneeId === 'me') conditions.push({ assigneeId: userId });
  else if (query.assigneeId === 'none') conditions.push({ assigneeId: null });
  else if (query.assigneeId) conditions.push({ assigneeId: query.assigneeId });
  if (query.tag) conditions.push({ tags: query.tag });
  if (query.dueBefore) conditions.push({ dueDate: { $lt: query.dueBefore } });
  if (query.dueAfter) conditions.push({ dueDate: { $gt: query.dueAfter } });
  if (query.overdue === 'true') {
    conditions.push({ dueDate: { $lt: now }, status: { $ne: 'done' } });
  } else if (query.overdue === 'false') {
    conditions.push({ $or: [{ dueDate: null }, { dueDate: { $gte: now } }, { status: 'done' }] });
  }
  if (query.ticketId) conditions.push({ ticketId: query.ticketId });
  if (query.q) conditions.push(...searchConditions(query.q));
  for (const [key, value] of query.customFields) {
    conditions.push({ [`customFields.${key}`]: { $in: customFieldValues(value) } });
  }
  if (query.cursor) conditions.push(afterCursor(parseSort(query.sort), query.cursor));
  return { $and: conditions };
}

/** The words of a search: runs of letters and digits, lower-cased, each once. */
export function searchWords(q: string): string[] {
  return [...new Set(q.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [])];
}

/**
 * A search for every word of `q`. The text index (teamId, then the words of title and
 * description) finds the tasks holding any of the words whole, English endings aside
 * ("deploy" finds "deployed"), so a search reads its matches, never the whole team; each word
 * must then begin a word of the title or description. Without a word (only punctuation),
 * nothing matches. Words hold no regex metacharacters: they go into the pattern as they are.
 */
function searchConditions(q: string): QueryFilter<TaskAttrs>[] {
  const words = searchWords(q);
  if (words.length === 0) return [{ _id: { $in: [] } }];
  return [
    { $text: { $search: words.join(' ') } },
    ...words.map((word) => {
      const startsAWord = { $regex: `(?:^|[^\\p{L}\\p{N}])${word}`, $options: 'i' };
      return { $or: [{ title: startsAWord }, { description: startsAWord }] };
    }),
  ];
}

/**
 * Everything after the cursor in (field, _id) order. MongoDB sorts null before any date, so
 * ascending runs nulls first and descending runs them last; comparisons never match null.
 */
function afterCursor(sort: Sort, cursor: Cursor): QueryFilter<TaskAttrs> {
  const field = SORT_FIELDS[sort.field];
  const value =
    cursor.value === null
      ? null
      : DATE_SORTS.has(sort.field)
        ? new Date(cursor.value)
        : cursor.value;
  const id = cursor.id;
  const next = sort.direction === 1 ? '$gt' : '$lt';
  if (value === null) {
    const rest = { [field]: null, _id: { [next]: id } };
    return sort.direction === 1 ? { $or: [rest, { [field]: { $ne: null } }] } : rest;
  }
  const branches: QueryFilter<TaskAttrs>[] = [
    { [field]: { [next]: value } },
    { [field]: value, _id: { [next]: id } },
  ];
  if (sort.direction === -1) branches.push({ [field]: null });
  return { $or: branches };
}

/** The query of one list page: its filter, its sort with the _id tie-break, one extra task. */
export function listPageQuery(
  query: TaskListQuery,
  userId: string,
  now: Date,
  within?: QueryFilter<TaskAttrs>,
) {
  const sort = parseSort(query.sort);
  const filter = listFilter(query, userId, now);
  return Task.find(within ? { $and: [...filter.$and, within] } : filter)
    .sort({ [SORT_FIELDS[sort.field]]: sort.direction, _id: sort.direction })
    .limit(query.limit + 1);
}

const DAY_MS = 86_400_000;

/**
 * How far back a newest-first page of a time sort looks first, in days, widening until the page
 * fills. The store reads no index in order (docs/architecture.md), so a page costs a sort of
 * every match it reads: a team's latest page is mostly its last days, and reading only those
 * keeps the cost of the page from growing with the team (a window that matches nothing goes
 * straight to the whole list). Exact: when a window holds a full page (and one more), it holds
 * the first tasks of the whole list, since every task outside the window sorts after every task
 * in it.
 */
export const RECENT_WINDOW_DAYS = [1, 8, 64] as const;

/** One list page (and one task more, to tell whether another page follows). */
export async function findListPage(
  query: TaskListQuery,
  userId: string,
  now: Date,
): Promise<Array<TaskAttrs & { _id: unknown }>> {
  const sort = parseSort(query.sort);
  const field = SORT_FIELDS[sort.field];
  const read = (within?: QueryFilter<TaskAttrs>) =>
    listPageQuery(query, userId, now, within)
      .select({ outbox: 0 })
      .lean<Array<TaskAttrs & { _id: unknown }>>();
  // A search is read through the text index whatever the window: windows would read it again.
  const timeSorted = field === 'createdAt' || field === 'updatedAt';
  if (sort.direction === -1 && timeSorted && !query.q) {
    // After a cursor the list goes on from the cursor's time, not from now.
    const from = Math.min(now.getTime(), query.cursor?.value ?? now.getTime());
    for (const days of RECENT_WINDOW_DAYS) {
      const tasks = await read({ [field]: { $gte: new Date(from - days * DAY_MS) } });
      if (tasks.length > query.limit) return tasks;
      // Nothing recent matches (a rare filter, a search for a word in no task): wider windows
      // would most likely read the team again and again before the whole list does.
      if (tasks.length === 0) break;
    }
  }
  return read();
}

/** The cursor that continues after this task. */
export function cursorAfter(sort: string, task: TaskAttrs & { _id: unknown }): string {
  const { field } = parseSort(sort);
  const raw = task[SORT_FIELDS[field]] as Date | number | null;
  const value = raw instanceof Date ? raw.getTime() : (raw ?? null);
  return encodeCursor({ sort, value, id: String(task._id) });
}
