import { errorResponseSchema, openApi } from '@taskforge/common';
import { NOTIFICATION_KINDS, TITLE_MAX_LENGTH } from './models/notification';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from './routes/index';

const { ref, json, errorBody, rateLimitHeaders, tooManyRequests, notSignedIn } = openApi;

const sseDescription = `Server-Sent Events (\`text/event-stream\`). Each message has an \`id\`
(send it back as \`Last-Event-ID\` to resume), an \`event\` name and JSON \`data\`:

- \`notification\`: a new inbox item (the \`Notification\` schema);
- \`unread-count\`: \`{ "count": n }\` after the count changed;
- \`task.created\`, \`task.updated\`, \`task.deleted\`, \`comment.created\`: board changes of the
  teams the user belongs to when the message is delivered, with the event's data (tasks carry
  their \`version\`, so a board applies each change once and in order);
- \`resync\`: some of what was missed is no longer kept; reload the inbox and boards.

The stream starts with a \`retry:\` hint and sends a comment line as a heartbeat (every 15 s by
default) so proxies keep it open; responses are not buffered by ingress-nginx
(\`X-Accel-Buffering: no\`). It ends when the user's account is deleted (reconnecting is then
answered 401).`;

/** OpenAPI 3.1 description of the notifications API; tests check real answers against it. */
export const openApiDocument = {
  openapi: '3.1.0',
  info: {
    title: 'TaskForge notifications',
    version: '0.1.0',
    description:
      'The signed-in user’s inbox (notifications made from task, comment and membership ' +
      'events), its unread count, and live updates over Server-Sent Events. Every route needs ' +
      'the `session` cookie set by auth; a user only ever sees their own notifications.',
  },
  servers: [{ url: '/' }],
  tags: [{ name: 'notifications' }],
  security: [{ session: [] }],
  components: {
    securitySchemes: openApi.sessionSecurityScheme,
    schemas: {
      ErrorResponse: errorResponseSchema,
      Notification: {
        type: 'object',
        required: [
          'id',
          'kind',
          'title',
          'link',
          'actorId',
          'teamId',
          'taskId',
          'read',
          'readAt',
          'createdAt',
        ],
        additionalProperties: false,
        properties: {
          id: { type: 'string', pattern: '^[0-9a-f]{24}$' },
          kind: { type: 'string', enum: [...NOTIFICATION_KINDS] },
          title: {
            type: 'string',
            maxLength: TITLE_MAX_LENGTH,
            description:
              'The text to show, written when the notification was made; a deleted account is named "Someone" in it',
          },
          link: { type: 'string', description: 'Path of the item in the web app' },
          actorId: { type: ['string', 'null'], description: 'Who caused it, when someone did' },
          teamId: { type: ['string', 'null'] },
          taskId: { type: ['string', 'null'] },
          read: { type: 'boolean' },
          readAt: { type: ['string', 'null'], format: 'date-time' },
          createdAt: { type: 'string', format: 'date-time' },
        },
      },
      UnreadCount: {
        type: 'object',
        required: ['count'],
        additionalProperties: false,
        properties: { count: { type: 'integer', minimum: 0 } },
      },
      ReadAllResult: {
        type: 'object',
        required: ['updated', 'unreadCount'],
        additionalProperties: false,
        properties: {
          updated: { type: 'integer', minimum: 0, description: 'How many were marked read' },
          unreadCount: { type: 'integer', minimum: 0 },
        },
      },
    },
  },
  paths: {
    '/api/notifications': {
      get: {
        tags: ['notifications'],
        summary: 'List my notifications',
        description:
          'Newest first. The body is a plain array; when there is a next page, ' +
          '`X-Next-Cursor` holds its cursor and `Link` its URL.',
        parameters: [
          {
            name: 'unread',
            in: 'query',
            description: 'Only unread notifications',
            schema: { type: 'string', enum: ['true', 'false'] },
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
          {
            name: 'cursor',
            in: 'query',
            description: 'Opaque; the `X-Next-Cursor` of the previous page',
            schema: { type: 'string' },
          },
        ],
        responses: {
          200: {
            description: 'One page of notifications',
            headers: {
              'X-Next-Cursor': {
                description: 'Cursor of the next page; absent on the last page',
                schema: { type: 'string' },
              },
              Link: {
                description: 'RFC 8288 link to the next page: `<url>; rel="next"`',
                schema: { type: 'string' },
              },
              ...rateLimitHeaders,
            },
            content: json({ type: 'array', items: ref('Notification') }),
          },
          400: errorBody('Invalid query parameter'),
          401: notSignedIn,
          429: tooManyRequests(),
        },
      },
    },
    '/api/notifications/unread-count': {
      get: {
        tags: ['notifications'],
        summary: 'How many of my notifications are unread',
        responses: {
          200: { description: 'The unread count', content: json(ref('UnreadCount')) },
          401: notSignedIn,
          429: tooManyRequests(),
        },
      },
    },
    '/api/notifications/{id}/read': {
      post: {
        tags: ['notifications'],
        summary: 'Mark one of my notifications read',
        description: 'Idempotent: marking a read notification again changes nothing.',
        parameters: [
          {
            name: 'id',
            in: 'path',
            required: true,
            description: 'Notification id; another user’s, or a malformed one, is answered 404',
            schema: { type: 'string' },
          },
        ],
        responses: {
          200: { description: 'The notification, read', content: json(ref('Notification')) },
          401: notSignedIn,
          404: errorBody('No such notification of yours'),
          429: tooManyRequests(),
        },
      },
    },
    '/api/notifications/read-all': {
      post: {
        tags: ['notifications'],
        summary: 'Mark all my notifications read',
        responses: {
          200: { description: 'What changed', content: json(ref('ReadAllResult')) },
          401: notSignedIn,
          429: tooManyRequests(),
        },
      },
    },
    '/api/notifications/stream': {
      get: {
        tags: ['notifications'],
        summary: 'Live updates (Server-Sent Events)',
        description: sseDescription,
        parameters: [
          {
            name: 'Last-Event-ID',
            in: 'header',
            description: 'The last `id` received; what came after it is sent first',
            schema: { type: 'string', pattern: '^\\d+-\\d+$' },
          },
        ],
        responses: {
          200: {
            description: 'The event stream; it stays open',
            content: { 'text/event-stream': { schema: { type: 'string' } } },
          },
          400: errorBody('Malformed Last-Event-ID'),
          401: notSignedIn,
          429: tooManyRequests('Too many requests, or too many open streams for this user'),
        },
      },
    },
  },
};
