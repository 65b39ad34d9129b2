import {
  ConflictError,
  editDocument,
  eventMetadataFrom,
  handle,
  requireAuth,
} from '@taskforge/common';
import { Router } from 'express';
import { updateTicket } from '../../contracts/tickets';
import { ticketEventData } from '../../models/ticket';
import { findEditableTicket } from '../../services/editable-ticket';

export const STALE_MESSAGE = 'The ticket was changed by another request; reload and retry';

export function updateTicketRouter(deps: { eventsRecorded: () => void }): Router {
  const router = Router();
  router.put(
    updateTicket.path,
    requireAuth,
    handle(updateTicket, async ({ body: { title, price, version } }, req, res) => {
      const ticket = await editDocument(
        () => findEditableTicket(req.params.id as string, req.currentUser!.id),
        (current, next) => {
          // A client that says which version it edited never overwrites a change it has not
          // seen; one that does not gets its edit on top of any other.
          if (version !== undefined && version !== current.version) {
            throw new ConflictError(STALE_MESSAGE);
          }
          current.set({ title, price });
          return [{ subject: 'ticket.updated', data: ticketEventData(current, next) }];
        },
        { metadata: eventMetadataFrom(req), eventsRecorded: deps.eventsRecorded },
      );
      res.send(ticket);
    }),
  );
  return router;
}
