import { recordEvent, retryOnConflict, type EventMetadata } from '@taskforge/common';
import { findTicket, Ticket, ticketEventData, type TicketDocument } from '../models/ticket';

/**
 * Deletes the ticket: a soft delete keeps the document, and with it the outbox, until the relay
 * has published `ticket.deleted`. A concurrent save makes this one fail with VersionError.
 */
export function softDeleteTicket(ticket: TicketDocument, metadata: EventMetadata) {
  ticket.deletedAt = new Date();
  recordEvent(ticket, 'ticket.deleted', ticketEventData(ticket, ticket.version + 1), metadata);
  return ticket.save();
}

/**
 * The tickets of a deleted account leave the list as their seller would remove them, each with
 * its `ticket.deleted`. A ticket an order holds stays, as DELETE refuses it: the order decides
 * what becomes of it. Returns how many were deleted; run again, it deletes only what is left.
 */
export async function deleteTicketsOfDeletedUser(
  userId: string,
  metadata: EventMetadata,
): Promise<number> {
  const live = await Ticket.find({ userId, deletedAt: null, orderId: null }, { _id: 1 }).lean();
  let deleted = 0;
  for (const { _id } of live) {
    // Read again: an order may have reserved it, or another pod deleted it, since the query.
    const done = await retryOnConflict(async () => {
      const ticket = await findTicket(String(_id));
      if (!ticket || ticket.orderId) return false;
      await softDeleteTicket(ticket, metadata);
      return true;
    });
    if (done) deleted += 1;
  }
  return deleted;
}
