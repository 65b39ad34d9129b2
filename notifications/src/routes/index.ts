import {
  decodeTimeCursor,
  encodeTimeCursor,
  pageQueryFields,
  parseQuery,
  requireAuth,
  sendPageHeaders,
} from '@taskforge/common';
import { Router } from 'express';
import { Types, type QueryFilter } from 'mongoose';
import { z } from 'zod';
import {
  Notification,
  OBJECT_ID,
  toNotificationResponse,
  type NotificationAttrs,
} from '../models/notification';

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

// Query values arrive as strings; arrays and objects (`?unread[$ne]=`) are rejected.
const listQuery = z.object({
  ...pageQueryFields({
    defaultLimit: DEFAULT_PAGE_SIZE,
    maxLimit: MAX_PAGE_SIZE,
    decodeCursor: (value) => decodeTimeCursor(value, (id) => OBJECT_ID.test(id)),
  }),
  unread: z
    .enum(['true', 'false'], { message: 'unread must be true or false' })
    .transform((value) => value === 'true')
    .optional(),
});

type ListQuery = z.output<typeof listQuery>;

function filterFor(userId: string, query: ListQuery): QueryFilter<NotificationAttrs> {
  const conditions: QueryFilter<NotificationAttrs>[] = [{ recipientId: userId }];
  if (query.unread) conditions.push({ read: false });
  if (query.cursor) {
    const { at, id } = query.cursor;
    const _id = new Types.ObjectId(id);
    conditions.push({ $or: [{ createdAt: { $lt: at } }, { createdAt: at, _id: { $lt: _id } }] });
  }
  return { $and: conditions };
}

/**
 * The signed-in user's notifications, newest first (only unread ones with `unread=true`). The
 * body is a plain array; the next page is announced in `X-Next-Cursor` and `Link`.
 */
export function indexNotificationRouter(): Router {
  const router = Router();
  router.get('/api/notifications', requireAuth, async (req, res) => {
    const query = parseQuery(listQuery, req.query);
    const notifications = await Notification.find(filterFor(req.currentUser!.id, query))
      .sort({ createdAt: -1, _id: -1 })
      .limit(query.limit + 1)
      .lean<NotificationAttrs[]>();

    const page = sendPageHeaders(req, res, notifications, query.limit, (last) =>
      encodeTimeCursor({ at: last.createdAt, id: last._id.toHexString() }),
    );
    res.send(page.map(toNotificationResponse));
  });
  return router;
}
