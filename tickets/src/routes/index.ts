import type { Router } from 'express';
import { deleteTicketRouter } from './tickets/delete';
import { indexTicketRouter } from './tickets/index';
import { newTicketRouter } from './tickets/new';
import { showTicketRouter } from './tickets/show';
import { updateTicketRouter } from './tickets/update';

/** Every router of the tickets API, in the order app.ts mounts them. */
export function ticketsRouters(deps: { eventsRecorded: () => void }): Router[] {
  return [
    indexTicketRouter(),
    newTicketRouter(deps),
    showTicketRouter(),
    updateTicketRouter(deps),
    deleteTicketRouter(deps),
  ];
}
