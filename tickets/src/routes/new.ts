import { eventMetadataFrom, recordEvent, requireAuth, validateRequest } from '@taskforge/common';
import { Router } from 'express';
import { Ticket, ticketEventData } from '../models/ticket';
import { priceField, titleField, type TicketInput } from './validators';

export function newTicketRouter(deps: { eventsRecorded: () => void }): Router {
  const router = Router();
  router.post(
    '/api/tickets',
    requireAuth,
    titleField(),
    priceField(),
    validateRequest,
    async (req, res) => {
      const { title, price } = req.body as TicketInput;
      const ticket = new Ticket({ title, price, userId: req.currentUser!.id });
      recordEvent(ticket, 'ticket.created', ticketEventData(ticket, 0), eventMetadataFrom(req));
      await ticket.save();
      deps.eventsRecorded();
      res.status(201).send(ticket);
    },
  );
  return router;
}
