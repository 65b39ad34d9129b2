import { handle, NotFoundError } from '@taskforge/common';
import { Router } from 'express';
import { showTicket } from '../../contracts/tickets';
import { findTicket } from '../../models/ticket';

export function showTicketRouter(): Router {
  const router = Router();
  router.get(
    showTicket.path,
    handle(showTicket, async (_input, req, res) => {
      const ticket = await findTicket(req.params.id as string);
      if (!ticket) throw new NotFoundError('Ticket not found');
      res.send(ticket);
    }),
  );
  return router;
}
