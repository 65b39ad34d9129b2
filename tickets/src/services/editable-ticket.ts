import { BadRequestError, ForbiddenError, NotFoundError } from '@taskforge/common';
import { findTicket, type TicketDocument } from '../models/ticket';

/**
 * The rule PUT and DELETE share: the ticket exists, the user owns it, and no order holds it.
 * Optimistic concurrency on save catches a reservation that lands after this check.
 */
export async function findEditableTicket(id: string, userId: string): Promise<TicketDocument> {
  const ticket = await findTicket(id);
  if (!ticket) throw new NotFoundError('Ticket not found');
  if (ticket.userId !== userId) throw new ForbiddenError('You do not own this ticket');
  if (ticket.orderId) throw new BadRequestError('Cannot edit a reserved ticket');
  return ticket;
}
