import { RequestValidationError, type SerializedError } from '@taskforge/common';
import { Router, type Request } from 'express';
import type { RootFilterQuery } from 'mongoose';
import { z } from 'zod';
import { PRICE_MAX, Ticket, toTicketResponse, type TicketAttrs } from '../models/ticket';

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;
const OBJECT_ID = /^[0-9a-f]{24}$/i;

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

const price = (name: string) =>
  z
    .string()
    .regex(/^\d+(\.\d+)?$/, `${name} must be a number of at least 0`)
    .transform(Number)
    .refine((value) => value <= PRICE_MAX, `${name} must be at most ${PRICE_MAX}`);

// Query values arrive as strings; arrays and objects (`?q[$ne]=`) are rejected, never queried.
const listQuery = z
  .object({
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
    minPrice: price('minPrice').optional(),
    maxPrice: price('maxPrice').optional(),
    q: z.string().trim().max(200, 'q must be at most 200 characters').optional(),
    userId: z
      .string()
      .min(1, 'userId must not be empty')
      .max(64, 'userId must be at most 64 characters')
      .optional(),
  })
  .refine(
    (query) =>
      query.minPrice === undefined ||
      query.maxPrice === undefined ||
      query.minPrice <= query.maxPrice,
    { path: ['maxPrice'], message: 'maxPrice must not be less than minPrice' },
  );

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

function escapeRegex(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
}

function filterFor(query: ListQuery): RootFilterQuery<TicketAttrs> {
  // Listed = neither reserved by an order nor deleted.
  const conditions: RootFilterQuery<TicketAttrs>[] = [{ orderId: null, deletedAt: null }];
  if (query.userId !== undefined) conditions.push({ userId: query.userId });
  if (query.minPrice !== undefined) conditions.push({ price: { $gte: query.minPrice } });
  if (query.maxPrice !== undefined) conditions.push({ price: { $lte: query.maxPrice } });
  if (query.q) conditions.push({ title: { $regex: escapeRegex(query.q), $options: 'i' } });
  if (query.cursor) {
    const { createdAt, id } = query.cursor;
    conditions.push({
      $or: [{ createdAt: { $lt: createdAt } }, { createdAt, _id: { $lt: id } }],
    });
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
 * The public list of tickets for sale, newest first. The body stays the plain array the
 * reference app returned; the next page is announced in `X-Next-Cursor` and `Link`.
 */
export function indexTicketRouter(): Router {
  const router = Router();
  router.get('/api/tickets', async (req, res) => {
    const query = parseQuery(req);
    const tickets = await Ticket.find(filterFor(query))
      .sort({ createdAt: -1, _id: -1 })
      .limit(query.limit + 1)
      .select({ title: 1, price: 1, userId: 1, orderId: 1, version: 1, createdAt: 1 })
      .lean<Array<TicketAttrs & { _id: unknown }>>();

    const page = tickets.slice(0, query.limit);
    const last = page[page.length - 1];
    if (tickets.length > query.limit && last) {
      const cursor = encodeCursor({ createdAt: last.createdAt, id: String(last._id) });
      res.set('X-Next-Cursor', cursor);
      res.set('Link', `<${nextPageLink(req, cursor)}>; rel="next"`);
    }
    res.set('Access-Control-Expose-Headers', 'Link, X-Next-Cursor');
    res.send(page.map(toTicketResponse));
  });
  return router;
}
