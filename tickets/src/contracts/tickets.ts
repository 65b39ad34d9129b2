import {
  decodeTimeCursor,
  errorAnswer,
  isObjectId,
  OBJECT_ID,
  openApi,
  pageQueryFields,
  route,
  tooManyRequestsAnswer,
} from '@taskforge/common';
import { z } from 'zod';
import { PRICE_MAX, TITLE_MAX_LENGTH } from '../models/ticket';

/*
 * The tickets API, one contract per route: what each takes (validated by `handle` before the
 * route runs) and answers. The OpenAPI document (contracts/index.ts) is written from these alone.
 */

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

/** Required, and of this type: "X is required" when missing or null, "X must be …" otherwise. */
const required = (label: string, type: string) => ({
  error: (issue: { input?: unknown }) =>
    issue.input === undefined || issue.input === null
      ? `${label} is required`
      : `${label} must be ${type}`,
});

const title = z
  .string(required('Title', 'a string'))
  .trim()
  .min(1, 'Title is required')
  .max(TITLE_MAX_LENGTH, `Title must be at most ${TITLE_MAX_LENGTH} characters`);

/** Prices are JSON numbers in currency units with at most two decimals (cents). */
const price = z
  .number(required('Price', 'a number'))
  .gt(0, 'Price must be greater than 0')
  .max(PRICE_MAX, `Price must be at most ${PRICE_MAX}`)
  .multipleOf(0.01, 'Price must have at most two decimals')
  .meta({ description: 'At most two decimals' });

export const ticketInput = z.object({ title, price }).meta({ id: 'TicketInput' });

export const ticketUpdate = ticketInput
  .extend({
    version: z
      .number({ error: 'Version must be a non-negative integer' })
      .int('Version must be a non-negative integer')
      .min(0, 'Version must be a non-negative integer')
      .meta({
        description:
          'Optional precondition: the version the client edited. When the ticket has moved on, ' +
          'the update is refused with 409 instead of overwriting.',
      })
      .optional(),
  })
  .meta({ id: 'TicketUpdate' });

export const ticketResponse = z
  .object({
    id: z.string().regex(OBJECT_ID),
    title: z.string().min(1).max(TITLE_MAX_LENGTH),
    price: z.number().gt(0).max(PRICE_MAX),
    userId: z.string().meta({ description: 'The seller' }),
    version: z
      .number()
      .int()
      .min(0)
      .meta({ description: 'Bumped on every write; equals the version of the latest event' }),
    orderId: z
      .string()
      .meta({ description: 'Present while an order reserves the ticket; it cannot be edited then' })
      .optional(),
  })
  .meta({ id: 'Ticket' });

const priceBound = (name: string) =>
  z
    .string()
    .regex(/^\d+(\.\d+)?$/, `${name} must be a number of at least 0`)
    .transform(Number)
    .refine((value) => value <= PRICE_MAX, `${name} must be at most ${PRICE_MAX}`)
    .meta({ type: 'number', minimum: 0 });

// Query values arrive as strings; arrays and objects (`?q[$ne]=`) are refused, never queried.
export const listQuery = z
  .object({
    ...pageQueryFields({
      defaultLimit: DEFAULT_PAGE_SIZE,
      maxLimit: MAX_PAGE_SIZE,
      decodeCursor: (value) => decodeTimeCursor(value, isObjectId),
    }),
    minPrice: priceBound('minPrice').optional(),
    maxPrice: priceBound('maxPrice').optional(),
    q: z
      .string()
      .trim()
      .max(200, 'q must be at most 200 characters')
      .meta({ description: 'Case-insensitive text the title contains (taken literally)' })
      .optional(),
    userId: z
      .string()
      .min(1, 'userId must not be empty')
      .max(64, 'userId must be at most 64 characters')
      .meta({ description: 'Only this seller’s tickets' })
      .optional(),
  })
  .refine(
    (query) =>
      query.minPrice === undefined ||
      query.maxPrice === undefined ||
      query.minPrice <= query.maxPrice,
    { path: ['maxPrice'], message: 'maxPrice must not be less than minPrice' },
  );

const ticketId = {
  id: { description: 'Ticket id (24 hex characters); anything else is answered 404' },
};
const notSignedIn = errorAnswer('Not signed in');
const tooMany = tooManyRequestsAnswer();

export const listTickets = route({
  method: 'get',
  path: '/api/tickets',
  tags: ['tickets'],
  summary: 'List tickets for sale',
  description:
    'Tickets that are neither reserved nor deleted, newest first. The body is a plain ' +
    'array; when there is a next page, `X-Next-Cursor` holds its cursor and `Link` its URL.',
  query: listQuery,
  responses: {
    200: {
      description: 'One page of tickets',
      headers: { ...openApi.pageHeaders, ...openApi.rateLimitHeaders },
      body: z.array(ticketResponse),
    },
    400: errorAnswer('Invalid query parameter'),
    429: tooMany,
  },
});

export const createTicket = route({
  method: 'post',
  path: '/api/tickets',
  tags: ['tickets'],
  summary: 'List a ticket for sale',
  description: 'Publishes `ticket.created` (version 0).',
  signedIn: true,
  body: ticketInput,
  responses: {
    201: { description: 'Created', body: ticketResponse },
    400: errorAnswer('Invalid title or price, or malformed JSON'),
    401: notSignedIn,
    429: tooMany,
  },
});

export const showTicket = route({
  method: 'get',
  path: '/api/tickets/:id',
  tags: ['tickets'],
  summary: 'Show a ticket',
  pathParams: ticketId,
  responses: {
    200: { description: 'The ticket', body: ticketResponse },
    404: errorAnswer('No such ticket (or deleted, or a malformed id)'),
    429: tooMany,
  },
});

export const updateTicket = route({
  method: 'put',
  path: '/api/tickets/:id',
  tags: ['tickets'],
  summary: 'Edit a ticket',
  description: 'Owner only; not while reserved. Publishes `ticket.updated` (version + 1).',
  signedIn: true,
  pathParams: ticketId,
  body: ticketUpdate,
  responses: {
    200: { description: 'The updated ticket', body: ticketResponse },
    400: errorAnswer('Invalid input, or "Cannot edit a reserved ticket"'),
    401: notSignedIn,
    403: errorAnswer('Not the owner'),
    404: errorAnswer('No such ticket'),
    409: errorAnswer('Another request changed the ticket first; reload and retry'),
    429: tooMany,
  },
});

export const deleteTicket = route({
  method: 'delete',
  path: '/api/tickets/:id',
  tags: ['tickets'],
  summary: 'Withdraw a ticket',
  description: 'Owner only; not while reserved. Publishes `ticket.deleted` (version + 1).',
  signedIn: true,
  pathParams: ticketId,
  responses: {
    204: { description: 'Deleted' },
    400: errorAnswer('"Cannot edit a reserved ticket"'),
    401: notSignedIn,
    403: errorAnswer('Not the owner'),
    404: errorAnswer('No such ticket'),
    409: errorAnswer('Another request changed the ticket first; retry'),
    429: tooMany,
  },
});
