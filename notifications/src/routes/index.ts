import { RequestValidationError, requireAuth, type SerializedError } from '@taskforge/common';
import { Router, type Request } from 'express';
import { Types, type RootFilterQuery } from 'mongoose';
import { z } from 'zod';
import {
  Notification,
  OBJECT_ID,
  toNotificationResponse,
  type NotificationAttrs,
} from '../models/notification';

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

interface Cursor {
  createdAt: Date;
  id: string;
}

/** Opaque to clients: where the previous page ended, as (createdAt, _id). */
export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify([cursor.createdAt.getTime(), cursor.id])).toString('base64url');
}

export function decodeCursor(value: string): Cursor | undefined {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(value, 'base64url').toString('utf8'));
    if (!Array.isArray(parsed) || parsed.length !== 2) return undefined;
    const [time, id] = parsed as [unknown, unknown];
    if (!Number.isSafeInteger(time) || typeof id !== 'string' || !OBJECT_ID.test(id)) {
      return undefined;
    }
    return { createdAt: new Date(time as number), id };
  } catch {
    return undefined;
  }
}

// Query values arrive as strings; arrays and objects (`?unread[$ne]=`) are rejected.
const listQuery = z.object({
  limit: z
    .string()
    .regex(/^\d+$/, `Limit must be an integer between 1 and ${MAX_PAGE_SIZE}`)
    .transform(Number)
    .refine(
      (value) => value >= 1 && value <= MAX_PAGE_SIZE,
      `Limit must be an integer between 1 and ${MAX_PAGE_SIZE}`,
    )
    .default(DEFAULT_PAGE_SIZE),
  cursor: z
    .string()
    .max(200, 'Cursor is invalid')
    .transform((value, ctx) => {
      const cursor = decodeCursor(value);
      if (!cursor) {
        ctx.addIssue({ code: 'custom', message: 'Cursor is invalid' });
        return z.NEVER;
      }
      return cursor;
    })
    .optional(),
  unread: z
    .enum(['true', 'false'], { message: 'unread must be true or false' })
    .transform((value) => value === 'true')
    .optional(),
});

type ListQuery = z.output<typeof listQuery>;

function parseQuery(req: Request): ListQuery {
  const result = listQuery.safeParse(req.query);
  if (result.success) return result.data;
  const errors: SerializedError[] = result.error.issues.map((issue) => {
    const field = issue.path.map(String).join('.');
    const message =
      issue.code === 'invalid_type' ? `${field} must be a single value` : issue.message;
    return field ? { message, field } : { message };
  });
  throw new RequestValidationError(errors);
}

function filterFor(userId: string, query: ListQuery): RootFilterQuery<NotificationAttrs> {
  const conditions: RootFilterQuery<NotificationAttrs>[] = [{ recipientId: userId }];
  if (query.unread) conditions.push({ read: false });
  if (query.cursor) {
    const { createdAt, id } = query.cursor;
    const _id = new Types.ObjectId(id);
    conditions.push({ $or: [{ createdAt: { $lt: createdAt } }, { createdAt, _id: { $lt: _id } }] });
  }
  return { $and: conditions };
}

function nextPageLink(req: Request, cursor: string): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(req.query)) {
    if (key !== 'cursor' && typeof value === 'string') params.set(key, value);
  }
  params.set('cursor', cursor);
  return `${req.baseUrl}${req.path}?${params.toString()}`;
}

/**
 * The signed-in user's notifications, newest first (only unread ones with `unread=true`). The
 * body is a plain array; the next page is announced in `X-Next-Cursor` and `Link`.
 */
export function indexNotificationRouter(): Router {
  const router = Router();
  router.get('/api/notifications', requireAuth, async (req, res) => {
    const query = parseQuery(req);
    const notifications = await Notification.find(filterFor(req.currentUser!.id, query))
      .sort({ createdAt: -1, _id: -1 })
      .limit(query.limit + 1)
      .lean<NotificationAttrs[]>();

    const page = notifications.slice(0, query.limit);
    const last = page[page.length - 1];
    if (notifications.length > query.limit && last) {
      const cursor = encodeCursor({ createdAt: last.createdAt, id: last._id.toHexString() });
      res.set('X-Next-Cursor', cursor);
      res.set('Link', `<${nextPageLink(req, cursor)}>; rel="next"`);
    }
    res.set('Access-Control-Expose-Headers', 'Link, X-Next-Cursor');
    res.send(page.map(toNotificationResponse));
  });
  return router;
}
