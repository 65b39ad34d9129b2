import { openApiDocumentFor } from '@taskforge/common';
import { STREAM_ID } from '../live/live-feed';
import {
  DEFAULT_PAGE_SIZE,
  listNotifications,
  openStream,
  readAllNotifications,
  readNotification,
  showUnreadCount,
} from './notifications';

/*
 * ADAPTER, until common's contracts can say these (then it goes). The generated document lacks:
 * - the stream's `Last-Event-ID` header (a route has no header parameters; the route checks it
 *   against `STREAM_ID`);
 * - the stream's `text/event-stream` body (an answer is JSON or nothing);
 * - the default of `limit` (zod leaves `default` out of a transforming schema's input JSON
 *   Schema, `.meta` included, so `pageQueryFields` never gets it into a document).
 */
type Operation = {
  parameters?: Array<{ name: string; in: string; description?: string; schema?: object }>;
  responses: Record<string, { content?: Record<string, unknown> }>;
};

function withWhatContractsCannotSay<D extends { paths: Record<string, Record<string, unknown>> }>(
  document: D,
): D {
  const list = document.paths[listNotifications.path]![listNotifications.method] as Operation;
  const limit = list.parameters?.find((parameter) => parameter.name === 'limit');
  if (limit) limit.schema = { ...limit.schema, default: DEFAULT_PAGE_SIZE };
  const stream = document.paths[openStream.path]![openStream.method] as Operation;
  stream.parameters = [
    ...(stream.parameters ?? []),
    {
      name: 'Last-Event-ID',
      in: 'header',
      description: 'The last `id` received; what came after it is sent first',
      schema: { type: 'string', pattern: STREAM_ID.source },
    },
  ];
  const ok = stream.responses['200']!;
  ok.content = { ...ok.content, 'text/event-stream': { schema: { type: 'string' } } };
  return document;
}

/** OpenAPI 3.1 description of the notifications API; tests check real answers against it. */
export const openApiDocument = withWhatContractsCannotSay(
  openApiDocumentFor({
    title: 'TaskForge notifications',
    description:
      'The signed-in user’s inbox (notifications made from task, comment and membership ' +
      'events), its unread count, and live updates over Server-Sent Events. Every route needs ' +
      'the `session` cookie set by auth; a user only ever sees their own notifications.',
    tags: ['notifications'],
    routes: [
      listNotifications,
      showUnreadCount,
      readNotification,
      readAllNotifications,
      openStream,
    ],
  }),
);
