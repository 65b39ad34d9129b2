import {
  ConflictError,
  eventMetadataFrom,
  handle,
  recordEvent,
  requireAuth,
} from '@taskforge/common';
import { Router } from 'express';
import { updateTicket } from '../contract';
import { ticketEventData } from '../models/ticket';
import { findEditableTicket } from '../services/editable-ticket';

export const STALE_MESSAGE = 'The ticket was changed by another request; reload and retry';

export function updateTicketRouter(deps: { eventsRecorded: () => void }): Router {
  const router = Router();
  router.put(
    updateTicket.path,
    requireAuth,
    handle(updateTicket, async ({ body: { title, price, version } }, req, res) => {
      const ticket = await findEditableTicket(req.params.id as string, req.currentUser!.id);
      // A client that says which version it edited never overwrites a change it has not seen.
      if (version !== undefined && version !== ticket.version) {
        throw new ConflictError(STALE_MESSAGE);
      }

      ticket.set({ title, price });
      recordEvent(
        ticket,
        'ticket.updated',
        ticketEventData(ticket, ticket.version + 1),
        eventMetadataFrom(req),
      );
      // A concurrent save makes this one fail with VersionError: answered 409, nothing lost.
      await ticket.save();
      deps.eventsRecorded();
      res.send(ticket);
    }),
  );
  return router;
}
