import { encodeTimeCursor, handle, sendPageHeaders } from '@taskforge/common';
import { Router } from 'express';
import type { QueryFilter } from 'mongoose';
import type { z } from 'zod';
import { listQuery, listTickets } from '../../contracts/tickets';
import { Ticket, toTicketResponse, type TicketAttrs } from '../../models/ticket';

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
  router.get(
    listTickets.path,
    handle(listTickets, async ({ query }, req, res) => {
      const tickets = await Ticket.find(filterFor(query))
        .sort({ createdAt: -1, _id: -1 })
        .limit(query.limit + 1)
        .select({ title: 1, price: 1, userId: 1, orderId: 1, version: 1, createdAt: 1 })
        .lean<Array<TicketAttrs & { _id: unknown }>>();

      const page = sendPageHeaders(req, res, tickets, query.limit, (last) =>
        encodeTimeCursor({ at: last.createdAt, id: String(last._id) }),
      );
      res.send(page.map(toTicketResponse));
    }),
  );
  return router;
}
