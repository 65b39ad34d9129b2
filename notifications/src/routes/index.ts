import {
  encodeTimeCursor,
  handle,
  parseQuery,
  requireAuth,
  sendPageHeaders,
} from '@taskforge/common';
import { Router } from 'express';
import { Types, type QueryFilter } from 'mongoose';
import type { z } from 'zod';
import { listNotifications, listQuery } from '../contract';
import {
  Notification,
  toNotificationResponse,
  type NotificationAttrs,
} from '../models/notification';

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

/*
 * ADAPTER, until `handle` words a query value that is not one string as `parseQuery` does
 * (`?limit[$ne]=1`: "limit must be a single value", not zod's "expected string, received
 * object"; a repeated `unread`: "unread must be true or false"): the contract's query schema
 * is parsed here, by `parseQuery`, so the messages stay what they were.
 */
const { query: _parsedByTheRoute, ...listWithoutQuery } = listNotifications;

/**
 * The signed-in user's notifications, newest first (only unread ones with `unread=true`). The
 * body is a plain array; the next page is announced in `X-Next-Cursor` and `Link`.
 */
export function indexNotificationRouter(): Router {
  const router = Router();
  router.get(
    listNotifications.path,
    requireAuth,
    handle(listWithoutQuery, async (_input, req, res) => {
      const query = parseQuery(listQuery, req.query);
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
