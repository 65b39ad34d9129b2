import { openApiDocumentFor } from '@taskforge/common';
import { createTicket, deleteTicket, listTickets, showTicket, updateTicket } from './tickets';

/** OpenAPI 3.1 description of the tickets API; tests check every route's real answers against it. */
export const openApiDocument = openApiDocumentFor({
  title: 'TaskForge tickets',
  description:
    'Tickets users list for sale. Writes need the `session` cookie set by auth. Every write ' +
    'bumps the ticket `version` and publishes a versioned `ticket.*` event. Events carry ' +
    '`{ id, version, title, price, userId, orderId? }`; `version` is the ticket version after ' +
    'the write.',
  tags: ['tickets'],
  routes: [listTickets, createTicket, showTicket, updateTicket, deleteTicket],
});
