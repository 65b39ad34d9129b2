import { editDocument, eventMetadataFrom, handle, requireAuth } from '@taskforge/common';
import { Router } from 'express';
import { deleteTicket } from '../../contracts/tickets';
import { withdrawal } from '../../services/delete-ticket';
import { findEditableTicket } from '../../services/editable-ticket';

export function deleteTicketRouter(deps: { eventsRecorded: () => void }): Router {
  const router = Router();
  router.delete(
    deleteTicket.path,
    requireAuth,
    handle(deleteTicket, async (_input, req, res) => {
      await editDocument(
        () => findEditableTicket(req.params.id as string, req.currentUser!.id),
        withdrawal,
        { metadata: eventMetadataFrom(req), eventsRecorded: deps.eventsRecorded },
      );
      res.status(204).end();
    }),
  );
  return router;
}
