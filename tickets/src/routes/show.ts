import { NotFoundError } from '@taskforge/common';
import { Router } from 'express';
import { findTicket } from '../models/ticket';

export function showTicketRouter(): Router {
  const router = Router();
  router.get('/api/tickets/:id', async (req, res) => {
    const ticket = await findTicket(req.params.id);
    if (!ticket) throw new NotFoundError('Ticket not found');
    res.send(ticket);
  });
  return router;
}
