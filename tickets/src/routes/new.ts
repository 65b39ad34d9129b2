import { eventMetadataFrom, handle, recordEvent, requireAuth } from '@taskforge/common';
import { Router } from 'express';
import { createTicket } from '../contract';
import { Ticket, ticketEventData } from '../models/ticket';

export function newTicketRouter(deps: { eventsRecorded: () => void }): Router {
  const router = Router();
  router.post(
    createTicket.path,
    requireAuth,
    handle(createTicket, async ({ body: { title, price } }, req, res) => {
      const ticket = new Ticket({ title, price, userId: req.currentUser!.id });
      recordEvent(ticket, 'ticket.created', ticketEventData(ticket, 0), eventMetadataFrom(req));
      await ticket.save();
      deps.eventsRecorded();
      res.status(201).send(ticket);
    }),
  );
  return router;
}
