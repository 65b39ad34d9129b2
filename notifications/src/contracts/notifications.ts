import {
  decodeTimeCursor,
  errorAnswer,
  isObjectId,
  OBJECT_ID,
  openApi,
  pageQueryFields,
  route,
  tooManyRequestsAnswer,
} from '@taskforge/common';
import { z } from 'zod';
import { NOTIFICATION_KINDS, TITLE_MAX_LENGTH } from '../models/notification';

/*
 * The notifications API, one contract per route: what each takes (validated before the route
 * runs) and answers. `index.ts` writes the OpenAPI document from these.
 */

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

export const notificationResponse = z
  .object({
    id: z.string().regex(OBJECT_ID),
    kind: z.enum(NOTIFICATION_KINDS),
    title: z.string().max(TITLE_MAX_LENGTH).meta({
      description:
        'The text to show, written when the notification was made; a deleted account is named "Someone" in it',
    }),
    link: z.string().meta({ description: 'Path of the item in the web app' }),
    actorId: z.string().nullable().meta({ description: 'Who caused it, when someone did' }),
    teamId: z.string().nullable(),
    taskId: z.string().nullable(),
    read: z.boolean(),
    readAt: z.iso.datetime().nullable(),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: 'Notification' });

export type NotificationResponse = z.output<typeof notificationResponse>;

const count = z.number().int().min(0);

export const unreadCountResponse = z.object({ count }).meta({ id: 'UnreadCount' });

export type UnreadCount = z.output<typeof unreadCountResponse>;

export const readAllResponse = z
  .object({
    updated: count.meta({ description: 'How many were marked read' }),
    unreadCount: count,
  })
  .meta({ id: 'ReadAllResult' });

export type ReadAllResult = z.output<typeof readAllResponse>;

// Query values arrive as strings; arrays and objects (`?unread[$ne]=`) are refused.
export const listQuery = z.object({
  ...pageQueryFields({
    defaultLimit: DEFAULT_PAGE_SIZE,
    maxLimit: MAX_PAGE_SIZE,
    decodeCursor: (value) => decodeTimeCursor(value, isObjectId),
  }),
  unread: z
    .enum(['true', 'false'], { message: 'unread must be true or false' })
    .meta({ description: 'Only unread notifications' })
    .transform((value) => value === 'true')
    .optional(),
});

const notSignedIn = errorAnswer('Not signed in');
const tooMany = tooManyRequestsAnswer();

export const listNotifications = route({
  method: 'get',
  path: '/api/notifications',
  tags: ['notifications'],
  summary: 'List my notifications',
  description:
    'Newest first. The body is a plain array; when there is a next page, ' +
    '`X-Next-Cursor` holds its cursor and `Link` its URL.',
  signedIn: true,
  query: listQuery,
  responses: {
    200: {
      description: 'One page of notifications',
      headers: { ...openApi.pageHeaders, ...openApi.rateLimitHeaders },
      body: z.array(notificationResponse),
    },
    400: errorAnswer('Invalid query parameter'),
    401: notSignedIn,
    429: tooMany,
  },
});

export const showUnreadCount = route({
  method: 'get',
  path: '/api/notifications/unread-count',
  tags: ['notifications'],
  summary: 'How many of my notifications are unread',
  signedIn: true,
  responses: {
    200: { description: 'The unread count', body: unreadCountResponse },
    401: notSignedIn,
    429: tooMany,
  },
});

export const readNotification = route({
  method: 'post',
  path: '/api/notifications/:id/read',
  tags: ['notifications'],
  summary: 'Mark one of my notifications read',
  description: 'Idempotent: marking a read notification again changes nothing.',
  signedIn: true,
  pathParams: {
    id: { description: 'Notification id; another user’s, or a malformed one, is answered 404' },
  },
  responses: {
    200: { description: 'The notification, read', body: notificationResponse },
    401: notSignedIn,
    404: errorAnswer('No such notification of yours'),
    429: tooMany,
  },
});

export const readAllNotifications = route({
  method: 'post',
  path: '/api/notifications/read-all',
  tags: ['notifications'],
  summary: 'Mark all my notifications read',
  signedIn: true,
  responses: {
    200: { description: 'What changed', body: readAllResponse },
    401: notSignedIn,
    429: tooMany,
  },
});

export const openStream = route({
  method: 'get',
  path: '/api/notifications/stream',
  tags: ['notifications'],
  summary: 'Live updates (Server-Sent Events)',
  description: `Server-Sent Events (\`text/event-stream\`). Each message has an \`id\`
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
answered 401).`,
  signedIn: true,
  responses: {
    200: { description: 'The event stream; it stays open' },
    400: errorAnswer('Malformed Last-Event-ID'),
    401: notSignedIn,
    429: tooManyRequestsAnswer('Too many requests, or too many open streams for this user'),
  },
});
