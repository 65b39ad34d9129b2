import {
  pageQueryFields,
  RequestValidationError,
  TASK_PRIORITIES,
  TASK_STATUSES,
  type SerializedError,
} from '@taskforge/common';
import type { QueryFilter } from 'mongoose';
import { z } from 'zod';
import {
  CUSTOM_FIELD_KEY,
  CUSTOM_FIELD_STRING_MAX_LENGTH,
  MAX_CUSTOM_FIELDS,
  TAG_MAX_LENGTH,
  Task,
  type TaskAttrs,
} from '../models/task';
import { parseIsoDate } from './dates';
import { ID_PATTERN } from '../routes/validators';

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

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

const OBJECT_ID = /^[0-9a-f]{24}$/i;

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
    if (typeof id !== 'string' || !OBJECT_ID.test(id)) return undefined;
    return { sort, value, id };
  } catch {
    return undefined;
  }
}

const list = <T extends string>(values: readonly T[], name: string) =>
  z
    .string()
    .transform((value) => value.split(',').map((item) => item.trim()))
    .refine((items) => items.every((item) => (values as readonly string[]).includes(item)), {
      message: `${name} must be one or more (comma-separated) of ${values.join(', ')}`,
    })
    .transform((items) => items as T[]);

const date = (name: string) =>
  z.string().transform((value, ctx) => {
    const parsed = parseIsoDate(value);
    if (!parsed) {
      ctx.addIssue({ code: 'custom', message: `${name} must be an ISO 8601 date` });
      return z.NEVER;
    }
    return parsed;
  });

const id = (name: string) => z.string().regex(ID_PATTERN, `${name} must be an id`);

// Query values arrive as strings; arrays and objects (`?q[$ne]=`) are rejected, never queried.
const listQuery = z.object({
  teamId: z.string({ error: 'teamId is required' }).regex(ID_PATTERN, 'teamId must be an id'),
  status: list(TASK_STATUSES, 'status').optional(),
  priority: list(TASK_PRIORITIES, 'priority').optional(),
  assigneeId: z
    .string()
    .refine((value) => value === 'me' || value === 'none' || ID_PATTERN.test(value), {
      message: 'assigneeId must be a user id, me or none',
    })
    .optional(),
  tag: z
    .string()
    .trim()
    .min(1)
    .max(TAG_MAX_LENGTH, `tag must be at most ${TAG_MAX_LENGTH} characters`)
    .optional(),
  dueBefore: date('dueBefore').optional(),
  dueAfter: date('dueAfter').optional(),
  overdue: z.enum(['true', 'false'], { error: 'overdue must be true or false' }).optional(),
  ticketId: id('ticketId').optional(),
  q: z.string().trim().max(200, 'q must be at most 200 characters').optional(),
  sort: z
    .string()
    .refine((value) => SORTS.includes(value), {
      message: `sort must be one of ${SORTS.join(', ')}`,
    })
    .default('-createdAt'),
  ...pageQueryFields({
    defaultLimit: DEFAULT_PAGE_SIZE,
    maxLimit: MAX_PAGE_SIZE,
    decodeCursor,
    maxCursorLength: 300,
  }),
});

export type ListQuery = z.output<typeof listQuery> & {
  customFields: Array<[string, string]>;
};

const CUSTOM_FIELD_PARAM = 'customFields.';

/** Validates the list's query string; every problem is reported with the parameter it is about. */
export function parseListQuery(query: Record<string, unknown>): ListQuery {
  const errors: SerializedError[] = [];
  const customFields: Array<[string, string]> = [];
  const plain: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(query)) {
    if (!name.startsWith(CUSTOM_FIELD_PARAM)) {
      if (name === 'customFields') {
        errors.push({
          message: 'Filter custom fields as customFields.<name>=<value>',
          field: name,
        });
      } else plain[name] = value;
      continue;
    }
    const key = name.slice(CUSTOM_FIELD_PARAM.length);
    if (!CUSTOM_FIELD_KEY.test(key)) {
      errors.push({ message: 'Custom field names are 1-40 of A-Z a-z 0-9 _ -', field: name });
    } else if (typeof value !== 'string' || value.length > CUSTOM_FIELD_STRING_MAX_LENGTH) {
      errors.push({ message: `${name} must be a single value`, field: name });
    } else customFields.push([key, value]);
  }
  if (customFields.length > MAX_CUSTOM_FIELDS) {
    errors.push({
      message: `At most ${MAX_CUSTOM_FIELDS} custom field filters`,
      field: 'customFields',
    });
  }
  const result = listQuery.safeParse(plain);
  if (!result.success) {
    for (const issue of result.error.issues) {
      const field = issue.path.map(String).join('.');
      const message =
        issue.code === 'invalid_type' && plain[field] !== undefined
          ? `${field} must be a single value`
          : issue.message;
      errors.push(field ? { message, field } : { message });
    }
  }
  if (result.success && result.data.cursor && result.data.cursor.sort !== result.data.sort) {
    errors.push({ message: 'Cursor belongs to another sort', field: 'cursor' });
  }
  if (errors.length > 0 || !result.success) throw new RequestValidationError(errors);
  return { ...result.data, customFields };
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
  query: ListQuery,
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
  query: ListQuery,
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
  query: ListQuery,
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
