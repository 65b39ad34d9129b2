import {
  errorAnswer,
  OBJECT_ID,
  pageQueryFields,
  route,
  TASK_PRIORITIES,
  TASK_STATUSES,
} from '@taskforge/common';
import { z } from 'zod';
import {
  CUSTOM_FIELD_KEY,
  CUSTOM_FIELD_STRING_MAX_LENGTH,
  DESCRIPTION_MAX_LENGTH,
  MAX_CUSTOM_FIELDS,
  MAX_TAGS,
  TAG_MAX_LENGTH,
  TITLE_MAX_LENGTH,
} from '../models/task';
import { parseIsoDate } from '../services/dates';
import { decodeCursor, SORTS } from '../services/task-list';
import { attachmentResponse } from './attachments';
import {
  dateTime,
  forbidden,
  ID_PATTERN,
  pageHeaders,
  required,
  signedInAnswers,
  taskChangedFirst,
  taskIdParam,
  taskNotFound,
  teamNotFound,
} from './shared';

/*
 * Tasks: the fields a client may send (once for creating, once for changing), the task it gets
 * back, and the query of a team's task list.
 */

const title = z
  .string(required('Title', 'a string'))
  .trim()
  .min(1, 'Title is required')
  .max(TITLE_MAX_LENGTH, `Title must be at most ${TITLE_MAX_LENGTH} characters`);

const description = z
  .string('Description must be a string')
  .max(DESCRIPTION_MAX_LENGTH, `Description must be at most ${DESCRIPTION_MAX_LENGTH} characters`)
  .meta({ description: 'Markdown' });

const status = z.enum(TASK_STATUSES, `Status must be one of ${TASK_STATUSES.join(', ')}`);
const priority = z.enum(TASK_PRIORITIES, `Priority must be one of ${TASK_PRIORITIES.join(', ')}`);

/** An id another service issued, or null to clear it. */
const foreignId = (message: string, about: string) =>
  z.string(message).regex(ID_PATTERN, message).nullable().meta({ description: about });

const assigneeId = foreignId(
  'assigneeId must be a user id or null',
  'A current member of the team; setting it needs `task.assign`',
);
const ticketId = foreignId(
  'ticketId must be a ticket id or null',
  'A ticket the tickets service published',
);

const dueDateMessage = 'dueDate must be an ISO 8601 date or null';
const dueDate = z
  .string(dueDateMessage)
  .transform((value, ctx) => {
    const date = parseIsoDate(value);
    if (date) return date;
    ctx.addIssue({ code: 'custom', message: dueDateMessage });
    return z.NEVER;
  })
  .nullable()
  .meta({ description: 'ISO 8601 date or date-time' });

const position = z
  .number('Position must be a number')
  .meta({ description: 'Order within the status column; by default the end of the column' });

const tagList = z
  .array(z.string().min(1).max(TAG_MAX_LENGTH))
  .max(MAX_TAGS)
  .meta({ description: 'Trimmed and de-duplicated' });

function tagsProblem(value: unknown): string | undefined {
  if (!Array.isArray(value) || !value.every((tag) => typeof tag === 'string')) {
    return 'Tags must be an array of strings';
  }
  if (value.length > MAX_TAGS) return `At most ${MAX_TAGS} tags`;
  if (!value.every((tag: string) => tag.trim() !== '' && tag.trim().length <= TAG_MAX_LENGTH)) {
    return `Each tag must have 1 to ${TAG_MAX_LENGTH} characters`;
  }
  return undefined;
}

// The checks run on the whole list first, so that each problem is told about `tags` itself.
const tags = z.preprocess((value, ctx) => {
  const problem = tagsProblem(value);
  if (problem) {
    ctx.addIssue({ code: 'custom', message: problem });
    return value;
  }
  return [...new Set((value as string[]).map((tag) => tag.trim()))];
}, tagList);

const customFieldValue = z
  .union([z.string().max(CUSTOM_FIELD_STRING_MAX_LENGTH), z.number(), z.boolean()])
  .meta({
    description: 'Strings in ISO 8601 date form are stored, compared and returned as date-times',
  });

const customFieldName = z.string().regex(CUSTOM_FIELD_KEY);

const customFieldsAnswered = z
  .record(customFieldName, customFieldValue)
  .meta({ maxProperties: MAX_CUSTOM_FIELDS });

function customFieldsProblem(value: unknown, allowNull: boolean): string | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return 'customFields must be an object';
  }
  const entries = Object.entries(value);
  if (entries.length > MAX_CUSTOM_FIELDS) return `At most ${MAX_CUSTOM_FIELDS} custom fields`;
  for (const [key, field] of entries) {
    if (!CUSTOM_FIELD_KEY.test(key)) {
      return `Custom field name "${key.slice(0, 40)}" must be 1-40 of A-Z a-z 0-9 _ -`;
    }
    const ok =
      (field === null && allowNull) ||
      typeof field === 'boolean' ||
      (typeof field === 'number' && Number.isFinite(field)) ||
      (typeof field === 'string' && field.length <= CUSTOM_FIELD_STRING_MAX_LENGTH);
    if (!ok) {
      return `Custom field "${key}" must be a string (at most ${CUSTOM_FIELD_STRING_MAX_LENGTH} characters), number, boolean${allowNull ? ' or null (to remove it)' : ''}`;
    }
  }
  return undefined;
}

/** Strings in ISO 8601 date form are stored as dates, so they compare and filter as dates. */
const withDates = <V>(fields: Record<string, V>): Record<string, V | Date> =>
  Object.fromEntries(
    Object.entries(fields).map(([key, value]) => [key, parseIsoDate(value) ?? value]),
  );

/** Custom fields as sent: one message about `customFields` names the first problem. */
const checkedCustomFields = (allowNull: boolean) => (value: unknown, ctx: z.RefinementCtx) => {
  const problem = customFieldsProblem(value, allowNull);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
  return value;
};

const newCustomFields = z
  .preprocess(checkedCustomFields(false), customFieldsAnswered)
  .transform(withDates);

const customFieldsPatch = z
  .preprocess(
    checkedCustomFields(true),
    z.record(customFieldName, customFieldValue.nullable()).meta({
      maxProperties: MAX_CUSTOM_FIELDS,
      description: 'Merged into the current fields; null removes a field',
    }),
  )
  .transform(withDates);

const versionMessage = 'Version must be a non-negative integer';
const version = z
  .number(versionMessage)
  .min(0, versionMessage)
  .refine(Number.isInteger, versionMessage)
  .meta({
    type: 'integer',
    description: 'Optional precondition: answered 409 when the task has moved on',
  });

// Fields in the order their problems are reported.
export const taskInput = z
  .object({
    teamId: z.string('teamId is required').regex(ID_PATTERN, 'teamId is required'),
    title,
    description: description.optional(),
    status: status.default('todo'),
    priority: priority.default('medium'),
    assigneeId: assigneeId.optional(),
    dueDate: dueDate.optional(),
    ticketId: ticketId.optional(),
    tags: tags.optional(),
    customFields: newCustomFields.optional(),
    position: position.optional(),
  })
  .meta({ id: 'TaskInput' });

export const taskUpdate = z
  .object({
    title: title.optional(),
    description: description.optional(),
    status: status.optional(),
    priority: priority.optional(),
    assigneeId: assigneeId.optional(),
    dueDate: dueDate.optional(),
    ticketId: ticketId.optional(),
    tags: tags.optional(),
    customFields: customFieldsPatch.optional(),
    position: position.optional(),
    version: version.optional(),
  })
  .meta({
    id: 'TaskUpdate',
    description:
      'Only the fields sent change. Changing the status moves the task to the end of the ' +
      'new column unless `position` is sent; `done` sets `completedAt`, leaving it clears it.',
  });

export type TaskInput = z.output<typeof taskInput>;
export type TaskUpdate = z.output<typeof taskUpdate>;

export const taskResponse = z
  .object({
    id: z.string().regex(OBJECT_ID),
    teamId: z.string(),
    title,
    description,
    status,
    priority,
    assigneeId,
    creatorId: z.string(),
    dueDate: dateTime.nullable(),
    tags: tagList,
    customFields: customFieldsAnswered,
    ticketId,
    attachments: z.array(attachmentResponse),
    position,
    createdAt: dateTime,
    updatedAt: dateTime,
    completedAt: dateTime.nullable().meta({ description: 'Set while the status is done' }),
    version: z.int().min(0).meta({
      description: 'Bumped on every write; equals the version of the latest task event',
    }),
  })
  .meta({ id: 'Task' });

export type TaskResponse = z.output<typeof taskResponse>;

/** The task list pages 20 tasks unless told. */
export const DEFAULT_TASK_PAGE_SIZE = 20;
export const MAX_TASK_PAGE_SIZE = 100;

// Checked as it is split: a problem found in the list would read as a repeated parameter.
const oneOrMore = <T extends string>(values: readonly T[], name: string) =>
  z
    .string()
    .transform((value, ctx) => {
      const items = value.split(',').map((item) => item.trim());
      if (items.every((item) => (values as readonly string[]).includes(item))) return items as T[];
      ctx.addIssue({
        code: 'custom',
        message: `${name} must be one or more (comma-separated) of ${values.join(', ')}`,
      });
      return z.NEVER;
    })
    .meta({ description: 'One or more, comma-separated' });

const queryDate = (name: string, about: string) =>
  z
    .string()
    .transform((value, ctx) => {
      const parsed = parseIsoDate(value);
      if (parsed) return parsed;
      ctx.addIssue({ code: 'custom', message: `${name} must be an ISO 8601 date` });
      return z.NEVER;
    })
    .meta({ description: about });

// Query values arrive as strings; arrays and objects (`?q[$ne]=`) are refused, never queried.
const listFilters = {
  teamId: z.string('teamId is required').regex(ID_PATTERN, 'teamId must be an id'),
  status: oneOrMore(TASK_STATUSES, 'status').optional(),
  priority: oneOrMore(TASK_PRIORITIES, 'priority').optional(),
  assigneeId: z
    .string()
    .refine((value) => value === 'me' || value === 'none' || ID_PATTERN.test(value), {
      message: 'assigneeId must be a user id, me or none',
    })
    .meta({ description: 'A user id, `me` or `none` (unassigned)' })
    .optional(),
  tag: z
    .string()
    .trim()
    .min(1)
    .max(TAG_MAX_LENGTH, `tag must be at most ${TAG_MAX_LENGTH} characters`)
    .optional(),
  dueBefore: queryDate('dueBefore', 'Due strictly before (ISO 8601)').optional(),
  dueAfter: queryDate('dueAfter', 'Due strictly after (ISO 8601)').optional(),
  overdue: z
    .enum(['true', 'false'], 'overdue must be true or false')
    .meta({ description: '`true`: due before now and not done; `false`: the others' })
    .optional(),
  ticketId: z.string().regex(ID_PATTERN, 'ticketId must be an id').optional(),
  q: z
    .string()
    .trim()
    .max(200, 'q must be at most 200 characters')
    .meta({
      description:
        'Words, all required, each beginning a word of the title or description (case ' +
        'aside); at least one whole, English endings aside ("deploy" finds "deployed"). ' +
        'Punctuation separates words; without a word nothing matches.',
    })
    .optional(),
  sort: z
    .enum(SORTS as [string, ...string[]], `sort must be one of ${SORTS.join(', ')}`)
    .default('-createdAt')
    .meta({ description: 'A field, `-` first for descending' }),
  ...pageQueryFields({
    defaultLimit: DEFAULT_TASK_PAGE_SIZE,
    maxLimit: MAX_TASK_PAGE_SIZE,
    decodeCursor,
    maxCursorLength: 300,
  }),
};

/** `customFields.<name>=<value>`: a family of parameters, documented by the adapter in `./index`. */
export const CUSTOM_FIELD_FILTER = 'customFields.';
export const customFieldFilterDescription =
  'Custom field equals the value (matched as string, and as number, boolean or date where it ' +
  `spells one); at most ${MAX_CUSTOM_FIELDS}`;

function checkCustomFieldFilters(query: Record<string, unknown>, ctx: z.RefinementCtx): void {
  let filters = 0;
  const refuse = (field: string, message: string) =>
    ctx.addIssue({ code: 'custom', path: [field], message });
  for (const [name, value] of Object.entries(query)) {
    if (name === 'customFields') {
      refuse(name, 'Filter custom fields as customFields.<name>=<value>');
    } else if (!name.startsWith(CUSTOM_FIELD_FILTER)) {
      continue;
    } else if (!CUSTOM_FIELD_KEY.test(name.slice(CUSTOM_FIELD_FILTER.length))) {
      refuse(name, 'Custom field names are 1-40 of A-Z a-z 0-9 _ -');
    } else if (typeof value !== 'string' || value.length > CUSTOM_FIELD_STRING_MAX_LENGTH) {
      refuse(name, `${name} must be a single value`);
    } else {
      filters += 1;
    }
  }
  if (filters > MAX_CUSTOM_FIELDS) {
    refuse('customFields', `At most ${MAX_CUSTOM_FIELDS} custom field filters`);
  }
}

type ListFilters = z.output<z.ZodObject<typeof listFilters>>;

export const taskListQuery = z
  .looseObject(listFilters)
  // The custom field filters are checked whatever the other parameters hold.
  .superRefine(checkCustomFieldFilters, { when: () => true })
  .refine((query) => !query.cursor || query.cursor.sort === query.sort, {
    path: ['cursor'],
    message: 'Cursor belongs to another sort',
  })
  .transform((query) => {
    const filters: Record<string, unknown> = {};
    const customFields: Array<[string, string]> = [];
    for (const [name, value] of Object.entries(query)) {
      if (name.startsWith(CUSTOM_FIELD_FILTER)) {
        customFields.push([name.slice(CUSTOM_FIELD_FILTER.length), value as string]);
      } else if (name in listFilters) {
        filters[name] = value;
      }
    }
    return { ...(filters as ListFilters), customFields };
  });

export type TaskListQuery = z.output<typeof taskListQuery>;

const invalidTask = errorAnswer(
  'Invalid input, an assignee who is not a member, or an unknown ticket',
);

export const listTasks = route({
  method: 'get',
  path: '/api/tasks',
  tags: ['tasks'],
  summary: "List a team's tasks",
  description:
    'Filters combine with AND. The body is a plain array; when there is a next page, ' +
    '`X-Next-Cursor` holds its cursor and `Link` its URL (keyset pagination: every task ' +
    'once, also while tasks change). Tasks without a due date sort first ascending, last ' +
    'descending.',
  signedIn: true,
  query: taskListQuery,
  responses: {
    200: { description: 'One page of tasks', headers: pageHeaders, body: z.array(taskResponse) },
    400: errorAnswer('Invalid query parameter'),
    404: teamNotFound,
    ...signedInAnswers,
  },
});

export const createTask = route({
  method: 'post',
  path: '/api/tasks',
  tags: ['tasks'],
  summary: 'Create a task',
  description:
    'Needs `task.create` (and `task.assign` with an assignee). Publishes `task.created` (version 0).',
  signedIn: true,
  body: taskInput,
  responses: {
    201: { description: 'Created', body: taskResponse },
    400: invalidTask,
    403: forbidden,
    404: teamNotFound,
    ...signedInAnswers,
  },
});

export const showTask = route({
  method: 'get',
  path: '/api/tasks/:id',
  tags: ['tasks'],
  summary: 'Show a task',
  signedIn: true,
  pathParams: taskIdParam,
  responses: {
    200: { description: 'The task', body: taskResponse },
    404: taskNotFound,
    ...signedInAnswers,
  },
});

export const updateTask = route({
  method: 'patch',
  path: '/api/tasks/:id',
  tags: ['tasks'],
  summary: 'Change a task',
  description:
    'Needs `task.update` (the assignee: `task.assign`). Publishes `task.updated` with the ' +
    'changed fields and their previous values; a request that changes nothing publishes nothing.',
  signedIn: true,
  pathParams: taskIdParam,
  body: taskUpdate,
  responses: {
    200: { description: 'The task after the change', body: taskResponse },
    400: invalidTask,
    403: forbidden,
    404: taskNotFound,
    409: errorAnswer('The task changed since `version`, or another request changed it first'),
    ...signedInAnswers,
  },
});

export const deleteTask = route({
  method: 'delete',
  path: '/api/tasks/:id',
  tags: ['tasks'],
  summary: 'Delete a task',
  description: 'Team admins and the task creator. Publishes `task.deleted`.',
  signedIn: true,
  pathParams: taskIdParam,
  responses: {
    204: { description: 'Deleted' },
    403: errorAnswer('Neither an admin nor the creator'),
    404: taskNotFound,
    409: taskChangedFirst,
    ...signedInAnswers,
  },
});
