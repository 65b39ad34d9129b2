import { encodeTimeCursor, handle, requireAuth, sendPageHeaders } from '@taskforge/common';
import { Router } from 'express';
import { Types, type QueryFilter } from 'mongoose';
import type { z } from 'zod';
import { listNotifications, listQuery } from '../../contracts/notifications';
import {
  Notification,
  toNotificationResponse,
  type NotificationAttrs,
} from '../../models/notification';

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
  router.get(
    listNotifications.path,
    requireAuth,
    handle(listNotifications, async ({ query }, req, res) => {
      const notifications = await Notification.find(filterFor(req.currentUser!.id, query))
        .sort({ createdAt: -1, _id: -1 })
        .limit(query.limit + 1)
        .lean<NotificationAttrs[]>();

      const page = sendPageHeaders(req, res, notifications, query.limit, (last) =>
        encodeTimeCursor({ at: last.createdAt, id: last._id.toHexString() }),
      );
      res.send(page.map(toNotificationResponse));
    }),
  );
  return router;
}
