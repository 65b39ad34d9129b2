import { editDocument, type EventMetadata, type RecordedEvent } from '@taskforge/common';
import { Ticket, ticketEventData, type TicketDocument } from '../models/ticket';

/**
 * Withdrawing a ticket, as a change for `editDocument`: a soft delete keeps the document, and
 * with it the outbox, until the relay has published `ticket.deleted`.
 */
export function withdrawal(ticket: TicketDocument, nextVersion: number): RecordedEvent[] {
  ticket.deletedAt = new Date();
  return [{ subject: 'ticket.deleted', data: ticketEventData(ticket, nextVersion) }];
}

/**
 * The tickets of a deleted account leave the list as their seller would remove them, each with
 * its `ticket.deleted`. A ticket an order holds stays, as DELETE refuses it: the order decides
 * what becomes of it. Returns how many were deleted; run again, it deletes only what is left.
 */
export async function deleteTicketsOfDeletedUser(
  userId: string,
  metadata: EventMetadata,
  eventsRecorded: () => void,
): Promise<number> {
  const live = await Ticket.find({ userId, deletedAt: null, orderId: null }, { _id: 1 }).lean();
  let deleted = 0;
  for (const { _id } of live) {
    let withdrawn = false;
    // Read again, deleted ones too (tickets are never removed): an order may have reserved it,
    // or another pod deleted it, since the query.
    await editDocument(
      async () => (await Ticket.findById(_id))!,
      (ticket, next) => {
        withdrawn = !ticket.orderId && !ticket.deletedAt;
        return withdrawn ? withdrawal(ticket, next) : [];
      },
      { metadata, eventsRecorded },
    );
    if (withdrawn) deleted += 1;
  }
  return deleted;
}
