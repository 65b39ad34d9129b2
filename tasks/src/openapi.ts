import { errorResponseSchema, openApi, TASK_PRIORITIES, TASK_STATUSES } from '@taskforge/common';
import { ACTIVITY_TYPES } from './models/activity';
import { CONTENT_MAX_LENGTH } from './models/comment';
import {
  DESCRIPTION_MAX_LENGTH,
  MAX_CUSTOM_FIELDS,
  MAX_TAGS,
  TAG_MAX_LENGTH,
  TITLE_MAX_LENGTH,
} from './models/task';
import { DEFAULT_PAGE_SIZE as PAGE_SIZE, MAX_PAGE_SIZE as PAGE_MAX } from './routes/page-query';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, SORTS } from './services/task-list';
import { STATS_WEEKS } from './services/stats';
import {
  ALLOWED_MIMETYPES,
  ATTACHMENT_NAME_MAX_LENGTH,
  DOWNLOAD_URL_TTL_SECONDS,
  MAX_ATTACHMENT_BYTES,
  UPLOAD_URL_TTL_SECONDS,
} from './services/uploads';

const { ref, json, errorBody, rateLimitHeaders, pageHeaders, notSignedIn, tooManyRequests } =
  openApi;

const common = { 401: notSignedIn, 429: tooManyRequests() };
const notFound = errorBody(
  'No such task, or the user is not a member of its team (the two are not told apart)',
);
const forbidden = errorBody('A member whose role lacks the permission (guests read only)');

const pathParam = (name: string, description: string) => ({
  name,
  in: 'path',
  required: true,
  description,
  schema: { type: 'string' },
});
const taskId = pathParam('id', 'Task id (24 hex characters); anything else is answered 404');
const commentId = pathParam('commentId', 'Comment id');
const attachmentId = pathParam('attachmentId', 'Attachment id (the upload id)');

const pageParameters = [
  {
    name: 'limit',
    in: 'query',
    schema: { type: 'integer', minimum: 1, maximum: PAGE_MAX, default: PAGE_SIZE },
  },
  {
    name: 'cursor',
    in: 'query',
    description: 'Opaque; the `X-Next-Cursor` of the previous page',
    schema: { type: 'string' },
  },
];

const nullableString = { type: ['string', 'null'] };
const dateTime = { type: 'string', format: 'date-time' };
const nullableDateTime = { type: ['string', 'null'], format: 'date-time' };
const customFieldValue = {
  description: 'Strings in ISO 8601 date form are stored, compared and returned as date-times',
  oneOf: [{ type: 'string' }, { type: 'number' }, { type: 'boolean' }],
};

const taskInputProperties = {
  title: { type: 'string', minLength: 1, maxLength: TITLE_MAX_LENGTH },
  description: { type: 'string', maxLength: DESCRIPTION_MAX_LENGTH, description: 'Markdown' },
  status: { type: 'string', enum: TASK_STATUSES, default: 'todo' },
  priority: { type: 'string', enum: TASK_PRIORITIES, default: 'medium' },
  assigneeId: {
    ...nullableString,
    description: 'A current member of the team; setting it needs `task.assign`',
  },
  dueDate: { ...nullableString, description: 'ISO 8601 date or date-time' },
  tags: {
    type: 'array',
    maxItems: MAX_TAGS,
    items: { type: 'string', minLength: 1, maxLength: TAG_MAX_LENGTH },
    description: 'Trimmed and de-duplicated',
  },
  ticketId: { ...nullableString, description: 'A ticket the tickets service published' },
  position: {
    type: 'number',
    description: 'Order within the status column; by default the end of the column',
  },
};

/** OpenAPI 3.1 description of the tasks API; tests check every route's real answers against it. */
export const openApiDocument = {
  openapi: '3.1.0',
  info: {
    title: 'TaskForge tasks',
    version: '0.1.0',
    description:
      'Team task boards. Every route needs the `session` cookie set by auth and membership of ' +
      'the team (from the replicas of `team.*`/`member.*`): a non-member is answered 404, a ' +
      'member whose role lacks the permission 403; guests read only. Every task write bumps ' +
      'the task `version` and publishes a versioned event: `task.created`, `task.updated` ' +
      '(`changes: { field: { from, to } }`), `task.deleted`, `comment.created|updated|deleted`, ' +
      '`attachment.added|removed`.',
  },
  servers: [{ url: '/' }],
  tags: [{ name: 'tasks' }, { name: 'comments' }, { name: 'attachments' }],
  security: [{ session: [] }],
  components: {
    securitySchemes: openApi.sessionSecurityScheme,
    schemas: {
      ErrorResponse: errorResponseSchema,
      Attachment: {
        type: 'object',
        required: ['id', 'name', 'size', 'mimetype', 'uploadedAt', 'uploadedBy'],
        additionalProperties: false,
        properties: {
          id: { type: 'string' },
          name: { type: 'string' },
          size: { type: 'integer', minimum: 1, maximum: MAX_ATTACHMENT_BYTES },
          mimetype: { type: 'string', enum: ALLOWED_MIMETYPES },
          uploadedAt: dateTime,
          uploadedBy: { type: 'string' },
        },
      },
      Task: {
        type: 'object',
        additionalProperties: false,
        required: [
          'id',
          'teamId',
          'title',
          'description',
          'status',
          'priority',
          'assigneeId',
          'creatorId',
          'dueDate',
          'tags',
          'customFields',
          'ticketId',
          'attachments',
          'position',
          'createdAt',
          'updatedAt',
          'completedAt',
          'version',
        ],
        properties: {
          id: { type: 'string', pattern: '^[0-9a-f]{24}$' },
          teamId: { type: 'string' },
          ...taskInputProperties,
          dueDate: nullableDateTime,
          creatorId: { type: 'string' },
          customFields: {
            type: 'object',
            maxProperties: MAX_CUSTOM_FIELDS,
            additionalProperties: customFieldValue,
          },
          attachments: { type: 'array', items: ref('Attachment') },
          createdAt: dateTime,
          updatedAt: dateTime,
          completedAt: { ...nullableDateTime, description: 'Set while the status is done' },
          version: {
            type: 'integer',
            minimum: 0,
            description: 'Bumped on every write; equals the version of the latest task event',
          },
        },
      },
      TaskInput: {
        type: 'object',
        required: ['teamId', 'title'],
        properties: {
          teamId: { type: 'string' },
          ...taskInputProperties,
          customFields: {
            type: 'object',
            maxProperties: MAX_CUSTOM_FIELDS,
            propertyNames: { pattern: '^[A-Za-z0-9_-]{1,40}$' },
            additionalProperties: customFieldValue,
          },
        },
      },
      TaskUpdate: {
        type: 'object',
        description:
          'Only the fields sent change. Changing the status moves the task to the end of the ' +
          'new column unless `position` is sent; `done` sets `completedAt`, leaving it clears it.',
        properties: {
          ...taskInputProperties,
          customFields: {
            type: 'object',
            description: 'Merged into the current fields; null removes a field',
            propertyNames: { pattern: '^[A-Za-z0-9_-]{1,40}$' },
            additionalProperties: { oneOf: [customFieldValue, { type: 'null' }] },
          },
          version: {
            type: 'integer',
            minimum: 0,
            description: 'Optional precondition: answered 409 when the task has moved on',
          },
        },
      },
      Comment: {
        type: 'object',
        additionalProperties: false,
        required: [
          'id',
          'taskId',
          'authorId',
          'content',
          'mentionedUsers',
          'createdAt',
          'editedAt',
          'version',
        ],
        properties: {
          id: { type: 'string' },
          taskId: { type: 'string' },
          authorId: { type: 'string' },
          content: {
            type: 'string',
            // No maxLength: a deleted user's mention, shown as an unknown user, may read longer.
            description:
              "Markdown as written, except that a deleted user's mention reads `@[Unknown user](userId)`",
          },
          mentionedUsers: {
            type: 'array',
            items: { type: 'string' },
            description: 'Current team members mentioned as `@[Name](userId)`, each once',
          },
          createdAt: dateTime,
          editedAt: nullableDateTime,
          version: { type: 'integer', minimum: 0 },
        },
      },
      CommentInput: {
        type: 'object',
        required: ['content'],
        properties: {
          content: {
            type: 'string',
            minLength: 1,
            maxLength: CONTENT_MAX_LENGTH,
            description: 'Markdown; mention a member with `@[Display Name](userId)`',
          },
        },
      },
      Activity: {
        type: 'object',
        additionalProperties: false,
        required: ['id', 'type', 'actorId', 'at', 'changes'],
        properties: {
          id: { type: 'string', description: 'The id of the event the entry comes from' },
          type: { type: 'string', enum: ACTIVITY_TYPES },
          actorId: nullableString,
          at: dateTime,
          changes: {
            type: 'array',
            items: {
              type: 'object',
              required: ['field', 'from', 'to'],
              additionalProperties: false,
              properties: { field: { type: 'string' }, from: {}, to: {} },
            },
          },
          commentId: { type: 'string' },
          attachment: {
            type: 'object',
            required: ['id', 'name'],
            additionalProperties: false,
            properties: { id: { type: 'string' }, name: { type: 'string' } },
          },
        },
      },
      Stats: {
        type: 'object',
        additionalProperties: false,
        required: [
          'total',
          'byStatus',
          'byPriority',
          'byAssignee',
          'overdue',
          'weekly',
          'medianCycleTimeMs',
        ],
        properties: {
          total: { type: 'integer', minimum: 0 },
          byStatus: {
            type: 'object',
            additionalProperties: false,
            required: [...TASK_STATUSES],
            properties: Object.fromEntries(TASK_STATUSES.map((s) => [s, { type: 'integer' }])),
          },
          byPriority: {
            type: 'object',
            additionalProperties: false,
            required: [...TASK_PRIORITIES],
            properties: Object.fromEntries(TASK_PRIORITIES.map((p) => [p, { type: 'integer' }])),
          },
          byAssignee: {
            type: 'array',
            description: 'Most tasks first; `assigneeId: null` counts unassigned tasks',
            items: {
              type: 'object',
              required: ['assigneeId', 'count'],
              additionalProperties: false,
              properties: { assigneeId: nullableString, count: { type: 'integer' } },
            },
          },
          overdue: { type: 'integer', description: 'Not done and due before now' },
          weekly: {
            type: 'array',
            minItems: STATS_WEEKS,
            maxItems: STATS_WEEKS,
            description: `Tasks created and completed per ISO week (Monday, UTC), last ${STATS_WEEKS} weeks, oldest first`,
            items: {
              type: 'object',
              required: ['week', 'created', 'completed'],
              additionalProperties: false,
              properties: {
                week: { type: 'string', pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' },
                created: { type: 'integer' },
                completed: { type: 'integer' },
              },
            },
          },
          medianCycleTimeMs: {
            type: ['integer', 'null'],
            description: 'Median time from creation to done of the done tasks; null when none',
          },
        },
      },
      UploadRequest: {
        type: 'object',
        required: ['name', 'size', 'mimetype'],
        properties: {
          name: { type: 'string', minLength: 1, maxLength: ATTACHMENT_NAME_MAX_LENGTH },
          size: { type: 'integer', minimum: 1, maximum: MAX_ATTACHMENT_BYTES },
          mimetype: { type: 'string', enum: ALLOWED_MIMETYPES },
        },
      },
      Upload: {
        type: 'object',
        additionalProperties: false,
        required: ['uploadId', 'uploadUrl', 'method', 'headers', 'expiresAt'],
        properties: {
          uploadId: { type: 'string' },
          uploadUrl: {
            type: 'string',
            description: `Presigned for ${UPLOAD_URL_TTL_SECONDS / 60} minutes; size and type are part of the signature`,
          },
          method: { const: 'PUT' },
          headers: {
            type: 'object',
            required: ['Content-Type'],
            properties: { 'Content-Type': { type: 'string' } },
          },
          expiresAt: dateTime,
        },
      },
      DownloadUrl: {
        type: 'object',
        additionalProperties: false,
        required: ['url', 'expiresAt'],
        properties: {
          url: { type: 'string', description: `Presigned for ${DOWNLOAD_URL_TTL_SECONDS} seconds` },
          expiresAt: dateTime,
        },
      },
    },
  },
  paths: {
    '/api/tasks': {
      get: {
        tags: ['tasks'],
        summary: "List a team's tasks",
        description:
          'Filters combine with AND. The body is a plain array; when there is a next page, ' +
          '`X-Next-Cursor` holds its cursor and `Link` its URL (keyset pagination: every task ' +
          'once, also while tasks change). Tasks without a due date sort first ascending, last ' +
          'descending.',
        parameters: [
          { name: 'teamId', in: 'query', required: true, schema: { type: 'string' } },
          {
            name: 'status',
            in: 'query',
            description: 'One or more, comma-separated',
            schema: { type: 'string' },
          },
          {
            name: 'priority',
            in: 'query',
            description: 'One or more, comma-separated',
            schema: { type: 'string' },
          },
          {
            name: 'assigneeId',
            in: 'query',
            description: 'A user id, `me` or `none` (unassigned)',
            schema: { type: 'string' },
          },
          { name: 'tag', in: 'query', schema: { type: 'string', maxLength: TAG_MAX_LENGTH } },
          {
            name: 'dueBefore',
            in: 'query',
            description: 'Due strictly before (ISO 8601)',
            schema: { type: 'string' },
          },
          {
            name: 'dueAfter',
            in: 'query',
            description: 'Due strictly after (ISO 8601)',
            schema: { type: 'string' },
          },
          {
            name: 'overdue',
            in: 'query',
            description: '`true`: due before now and not done; `false`: the others',
            schema: { type: 'string', enum: ['true', 'false'] },
          },
          { name: 'ticketId', in: 'query', schema: { type: 'string' } },
          {
            name: 'q',
            in: 'query',
            description:
              'Words, all required, each beginning a word of the title or description (case ' +
              'aside); at least one whole, English endings aside ("deploy" finds "deployed"). ' +
              'Punctuation separates words; without a word nothing matches.',
            schema: { type: 'string', maxLength: 200 },
          },
          {
            name: 'customFields.{name}',
            in: 'query',
            description:
              'Custom field equals the value (matched as string, and as number, boolean or ' +
              `date where it spells one); at most ${MAX_CUSTOM_FIELDS}`,
            schema: { type: 'string' },
          },
          {
            name: 'sort',
            in: 'query',
            description: 'A field, `-` first for descending',
            schema: { type: 'string', enum: SORTS, default: '-createdAt' },
          },
          {
            name: 'limit',
            in: 'query',
            schema: {
              type: 'integer',
              minimum: 1,
              maximum: MAX_PAGE_SIZE,
              default: DEFAULT_PAGE_SIZE,
            },
          },
          pageParameters[1],
        ],
        responses: {
          200: {
            description: 'One page of tasks',
            headers: {
              ...pageHeaders,
              ...rateLimitHeaders,
            },
            content: json({ type: 'array', items: ref('Task') }),
          },
          400: errorBody('Invalid query parameter'),
          404: errorBody('No such team, or not a member'),
          ...common,
        },
      },
      post: {
        tags: ['tasks'],
        summary: 'Create a task',
        description:
          'Needs `task.create` (and `task.assign` with an assignee). Publishes `task.created` (version 0).',
        requestBody: { required: true, content: json(ref('TaskInput')) },
        responses: {
          201: { description: 'Created', content: json(ref('Task')) },
          400: errorBody('Invalid input, an assignee who is not a member, or an unknown ticket'),
          403: forbidden,
          404: errorBody('No such team, or not a member'),
          ...common,
        },
      },
    },
    '/api/tasks/stats': {
      get: {
        tags: ['tasks'],
        summary: "A team's dashboard numbers",
        description:
          'Exact at every moment: cached per team, and the cache is superseded by every task ' +
          'write before it answers, and when a due date passes or a week begins.',
        parameters: [{ name: 'teamId', in: 'query', required: true, schema: { type: 'string' } }],
        responses: {
          200: { description: 'The numbers', content: json(ref('Stats')) },
          400: errorBody('Missing or malformed teamId'),
          404: errorBody('No such team, or not a member'),
          ...common,
        },
      },
    },
    '/api/tasks/{id}': {
      get: {
        tags: ['tasks'],
        summary: 'Show a task',
        parameters: [taskId],
        responses: {
          200: { description: 'The task', content: json(ref('Task')) },
          404: notFound,
          ...common,
        },
      },
      patch: {
        tags: ['tasks'],
        summary: 'Change a task',
        description:
          'Needs `task.update` (the assignee: `task.assign`). Publishes `task.updated` with the ' +
          'changed fields and their previous values; a request that changes nothing publishes nothing.',
        parameters: [taskId],
        requestBody: { required: true, content: json(ref('TaskUpdate')) },
        responses: {
          200: { description: 'The task after the change', content: json(ref('Task')) },
          400: errorBody('Invalid input, an assignee who is not a member, or an unknown ticket'),
          403: forbidden,
          404: notFound,
          409: errorBody('The task changed since `version`, or another request changed it first'),
          ...common,
        },
      },
      delete: {
        tags: ['tasks'],
        summary: 'Delete a task',
        description: 'Team admins and the task creator. Publishes `task.deleted`.',
        parameters: [taskId],
        responses: {
          204: { description: 'Deleted' },
          403: errorBody('Neither an admin nor the creator'),
          404: notFound,
          409: errorBody('Another request changed the task first; retry'),
          ...common,
        },
      },
    },
    '/api/tasks/{id}/comments': {
      get: {
        tags: ['comments'],
        summary: "A task's comments, oldest first",
        parameters: [taskId, ...pageParameters],
        responses: {
          200: {
            description: 'One page of comments',
            headers: { ...pageHeaders, ...rateLimitHeaders },
            content: json({ type: 'array', items: ref('Comment') }),
          },
          400: errorBody('Invalid limit or cursor'),
          404: notFound,
          ...common,
        },
      },
      post: {
        tags: ['comments'],
        summary: 'Comment on a task',
        description:
          'Needs `comment.create`. Publishes `comment.created` with the mentioned members.',
        parameters: [taskId],
        requestBody: { required: true, content: json(ref('CommentInput')) },
        responses: {
          201: { description: 'Created', content: json(ref('Comment')) },
          400: errorBody('Missing or too long content'),
          403: forbidden,
          404: notFound,
          ...common,
        },
      },
    },
    '/api/tasks/{id}/comments/{commentId}': {
      patch: {
        tags: ['comments'],
        summary: 'Edit your comment',
        description: 'The author only. Publishes `comment.updated`.',
        parameters: [taskId, commentId],
        requestBody: { required: true, content: json(ref('CommentInput')) },
        responses: {
          200: { description: 'The comment', content: json(ref('Comment')) },
          400: errorBody('Missing or too long content'),
          403: errorBody('Not the author'),
          404: errorBody('No such task or comment, or not a member'),
          409: errorBody('Another request changed the comment first; retry'),
          ...common,
        },
      },
      delete: {
        tags: ['comments'],
        summary: 'Delete a comment',
        description: 'The author or a team admin. Publishes `comment.deleted`.',
        parameters: [taskId, commentId],
        responses: {
          204: { description: 'Deleted' },
          403: errorBody('Neither the author nor an admin'),
          404: errorBody('No such task or comment, or not a member'),
          409: errorBody('Another request changed the comment first; retry'),
          ...common,
        },
      },
    },
    '/api/tasks/{id}/activity': {
      get: {
        tags: ['tasks'],
        summary: "A task's history, newest first",
        parameters: [taskId, ...pageParameters],
        responses: {
          200: {
            description: 'One page of history',
            headers: { ...pageHeaders, ...rateLimitHeaders },
            content: json({ type: 'array', items: ref('Activity') }),
          },
          400: errorBody('Invalid limit or cursor'),
          404: notFound,
          ...common,
        },
      },
    },
    '/api/tasks/{id}/attachments': {
      post: {
        tags: ['attachments'],
        summary: 'Start an upload',
        description:
          `Needs \`task.update\`. At most ${MAX_ATTACHMENT_BYTES / 1024 / 1024} MB, of the ` +
          'allowed types. PUT the file to `uploadUrl` with the given headers, then confirm.',
        parameters: [taskId],
        requestBody: { required: true, content: json(ref('UploadRequest')) },
        responses: {
          201: { description: 'Where to upload', content: json(ref('Upload')) },
          400: errorBody('Invalid name, too large, a type not allowed, or too many attachments'),
          403: forbidden,
          404: notFound,
          ...common,
        },
      },
    },
    '/api/tasks/{id}/attachments/{attachmentId}/confirm': {
      post: {
        tags: ['attachments'],
        summary: 'Record an uploaded file',
        description:
          'Checks the stored object has the announced size and type (else removes it), then ' +
          'records it: `task.updated` and `attachment.added`. Repeating it answers the same.',
        parameters: [taskId, attachmentId],
        responses: {
          201: { description: 'The attachment', content: json(ref('Attachment')) },
          400: errorBody('Nothing uploaded yet, or the file does not match'),
          403: errorBody('Lacks `task.update`, or not the uploader'),
          404: errorBody('No such task or upload (expired), or not a member'),
          409: errorBody('Another request changed the task first; retry'),
          ...common,
        },
      },
    },
    '/api/tasks/{id}/attachments/{attachmentId}': {
      get: {
        tags: ['attachments'],
        summary: 'A short-lived download URL',
        parameters: [taskId, attachmentId],
        responses: {
          200: { description: 'The URL', content: json(ref('DownloadUrl')) },
          404: errorBody('No such task or attachment, or not a member'),
          ...common,
        },
      },
      delete: {
        tags: ['attachments'],
        summary: 'Remove an attachment',
        description: 'Needs `task.update`. Publishes `task.updated` and `attachment.removed`.',
        parameters: [taskId, attachmentId],
        responses: {
          204: { description: 'Removed' },
          403: forbidden,
          404: errorBody('No such task or attachment, or not a member'),
          409: errorBody('Another request changed the task first; retry'),
          ...common,
        },
      },
    },
  },
};
