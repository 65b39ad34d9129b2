import { editDocument, eventMetadataFrom, handle, requireAuth } from '@taskforge/common';
import { Router } from 'express';
import { createTicket } from '../../contracts/tickets';
import { Ticket, ticketEventData } from '../../models/ticket';

export function newTicketRouter(deps: { eventsRecorded: () => void }): Router {
  const router = Router();
  router.post(
    createTicket.path,
    requireAuth,
    handle(createTicket, async ({ body: { title, price } }, req, res) => {
      const ticket = await editDocument(
        async () => new Ticket({ title, price, userId: req.currentUser!.id }),
        (created, version) => [
          { subject: 'ticket.created', data: ticketEventData(created, version) },
        ],
        { metadata: eventMetadataFrom(req), eventsRecorded: deps.eventsRecorded },
      );
      res.status(201).send(ticket);
    }),
  );
  return router;
}
