import {
  decodeTimeCursor,
  encodeTimeCursor,
  pageQueryFields,
  parseQuery,
  sendPageHeaders,
} from '@taskforge/common';
import { Router } from 'express';
import type { QueryFilter } from 'mongoose';
import { z } from 'zod';
import { PRICE_MAX, Ticket, toTicketResponse, type TicketAttrs } from '../models/ticket';

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;
const OBJECT_ID = /^[0-9a-f]{24}$/i;

const price = (name: string) =>
  z
    .string()
    .regex(/^\d+(\.\d+)?$/, `${name} must be a number of at least 0`)
    .transform(Number)
    .refine((value) => value <= PRICE_MAX, `${name} must be at most ${PRICE_MAX}`);

// Query values arrive as strings; arrays and objects (`?q[$ne]=`) are rejected, never queried.
const listQuery = z
  .object({
    ...pageQueryFields({
      defaultLimit: DEFAULT_PAGE_SIZE,
      maxLimit: MAX_PAGE_SIZE,
      decodeCursor: (value) => decodeTimeCursor(value, (id) => OBJECT_ID.test(id)),
    }),
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

function escapeRegex(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
}

function filterFor(query: ListQuery): QueryFilter<TicketAttrs> {
  // Listed = neither reserved by an order nor deleted.
  const conditions: QueryFilter<TicketAttrs>[] = [{ orderId: null, deletedAt: null }];
  if (query.userId !== undefined) conditions.push({ userId: query.userId });
  if (query.minPrice !== undefined) conditions.push({ price: { $gte: query.minPrice } });
  if (query.maxPrice !== undefined) conditions.push({ price: { $lte: query.maxPrice } });
  if (query.q) conditions.push({ title: { $regex: escapeRegex(query.q), $options: 'i' } });
  if (query.cursor) {
    const { at, id } = query.cursor;
    conditions.push({ $or: [{ createdAt: { $lt: at } }, { createdAt: at, _id: { $lt: id } }] });
  }
  return { $and: conditions };
}

/**
 * The public list of tickets for sale, newest first. The body stays the plain array the
 * reference app returned; the next page is announced in `X-Next-Cursor` and `Link`.
 */
export function indexTicketRouter(): Router {
  const router = Router();
  router.get('/api/tickets', async (req, res) => {
    const query = parseQuery(listQuery, req.query);
    const tickets = await Ticket.find(filterFor(query))
      .sort({ createdAt: -1, _id: -1 })
      .limit(query.limit + 1)
      .select({ title: 1, price: 1, userId: 1, orderId: 1, version: 1, createdAt: 1 })
      .lean<Array<TicketAttrs & { _id: unknown }>>();

    const page = sendPageHeaders(req, res, tickets, query.limit, (last) =>
      encodeTimeCursor({ at: last.createdAt, id: String(last._id) }),
    );
    res.send(page.map(toTicketResponse));
  });
  return router;
}
