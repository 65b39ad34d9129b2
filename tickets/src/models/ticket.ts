import { isObjectId, outboxPlugin, type EventData, type OutboxFields } from '@taskforge/common';
import mongoose, { Schema, type HydratedDocument } from 'mongoose';

export const TITLE_MAX_LENGTH = 200;
export const PRICE_MAX = 1_000_000;

export interface TicketAttrs extends OutboxFields {
  title: string;
  price: number;
  userId: string;
  /** Set while an order reserves the ticket; a reserved ticket cannot be edited or deleted. */
  orderId: string | null;
  /** Soft delete: the document stays until the relay has published `ticket.deleted`. */
  deletedAt: Date | null;
  createdAt: Date;
  version: number;
}

export type TicketDocument = HydratedDocument<TicketAttrs>;

/** What clients see of a ticket. */
export interface TicketResponse {
  id: string;
  title: string;
  price: number;
  userId: string;
  version: number;
  orderId?: string;
}

const ticketSchema = new Schema<TicketAttrs>(
  {
    title: { type: String, required: true, trim: true, maxlength: TITLE_MAX_LENGTH },
    price: { type: Number, required: true, min: 0, max: PRICE_MAX },
    userId: { type: String, required: true },
    orderId: { type: String, default: null },
    deletedAt: { type: Date, default: null },
  },
  {
    // Every save bumps `version` and fails on a stale copy; each save records the event
    // carrying the version it produces.
    optimisticConcurrency: true,
    versionKey: 'version',
    timestamps: { createdAt: true, updatedAt: false },
    toJSON: {
      transform(_doc, ret: Record<string, unknown>): TicketResponse {
        return toTicketResponse(ret as unknown as TicketAttrs & { _id: unknown });
      },
    },
  },
);
outboxPlugin(ticketSchema);

// The public list: newest first with `_id` as the tie-break, alone or narrowed to one seller.
ticketSchema.index({ createdAt: -1, _id: -1 });
ticketSchema.index({ userId: 1, createdAt: -1, _id: -1 });
ticketSchema.index({ price: 1 });

export const Ticket = mongoose.model<TicketAttrs>('Ticket', ticketSchema);

/** Loads a live ticket; a malformed id or a soft-deleted ticket finds nothing. */
export function findTicket(id: string): Promise<TicketDocument | null> {
  if (!isObjectId(id)) return Promise.resolve(null);
  return Ticket.findById(id)
    .exec()
    .then((ticket) => (ticket && !ticket.deletedAt ? ticket : null));
}

export function toTicketResponse(ticket: {
  _id: unknown;
  title: string;
  price: number;
  userId: string;
  version: number;
  orderId?: string | null;
}): TicketResponse {
  const response: TicketResponse = {
    id: String(ticket._id),
    title: ticket.title,
    price: ticket.price,
    userId: ticket.userId,
    version: ticket.version,
  };
  if (ticket.orderId) response.orderId = ticket.orderId;
  return response;
}

/** What `ticket.*` events carry; `version` is the one the pending save produces. */
export function ticketEventData(
  ticket: TicketDocument,
  version: number,
): EventData<'ticket.updated'> {
  const data: EventData<'ticket.updated'> = {
    id: ticket._id.toString(),
    version,
    title: ticket.title,
    price: ticket.price,
    userId: ticket.userId,
  };
  if (ticket.orderId) data.orderId = ticket.orderId;
  return data;
}
