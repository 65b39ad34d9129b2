import { eventMetadataFrom, recordEvent, requireAuth } from '@taskforge/common';
import { Router } from 'express';
import { ticketEventData } from '../models/ticket';
import { findEditableTicket } from '../services/editable-ticket';

export function deleteTicketRouter(deps: { eventsRecorded: () => void }): Router {
  const router = Router();
  router.delete('/api/tickets/:id', requireAuth, async (req, res) => {
    const ticket = await findEditableTicket(req.params.id as string, req.currentUser!.id);
    // A soft delete keeps the document, and with it the outbox, until the relay publishes.
    ticket.deletedAt = new Date();
    recordEvent(
      ticket,
      'ticket.deleted',
      ticketEventData(ticket, ticket.version + 1),
      eventMetadataFrom(req),
    );
    await ticket.save();
    deps.eventsRecorded();
    res.status(204).end();
  });
  return router;
}
