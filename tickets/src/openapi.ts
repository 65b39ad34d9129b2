import { errorResponseSchema, openApi } from '@taskforge/common';
import { PRICE_MAX, TITLE_MAX_LENGTH } from './models/ticket';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from './routes/index';

const { ref, json, errorBody, rateLimitHeaders, tooManyRequests } = openApi;

const idParameter = {
  name: 'id',
  in: 'path',
  required: true,
  description: 'Ticket id (24 hex characters); anything else is answered 404',
  schema: { type: 'string' },
};

const ticketEvents =
  'Events carry `{ id, version, title, price, userId, orderId? }`; `version` is the ticket ' +
  'version after the write.';

/** OpenAPI 3.1 description of the tickets API; tests check every route's real answers against it. */
export const openApiDocument = {
  openapi: '3.1.0',
  info: {
    title: 'TaskForge tickets',
    version: '0.1.0',
    description:
      'Tickets users list for sale. Writes need the `session` cookie set by auth. Every write ' +
      'bumps the ticket `version` and publishes a versioned `ticket.*` event. ' +
      ticketEvents,
  },
  servers: [{ url: '/' }],
  tags: [{ name: 'tickets' }],
  components: {
    securitySchemes: openApi.sessionSecurityScheme,
    schemas: {
      ErrorResponse: errorResponseSchema,
      Ticket: {
        type: 'object',
        required: ['id', 'title', 'price', 'userId', 'version'],
        additionalProperties: false,
        properties: {
          id: { type: 'string', pattern: '^[0-9a-f]{24}$' },
          title: { type: 'string', minLength: 1, maxLength: TITLE_MAX_LENGTH },
          price: { type: 'number', exclusiveMinimum: 0, maximum: PRICE_MAX },
          userId: { type: 'string', description: 'The seller' },
          version: {
            type: 'integer',
            minimum: 0,
            description: 'Bumped on every write; equals the version of the latest event',
          },
          orderId: {
            type: 'string',
            description: 'Present while an order reserves the ticket; it cannot be edited then',
          },
        },
      },
      TicketInput: {
        type: 'object',
        required: ['title', 'price'],
        properties: {
          title: { type: 'string', minLength: 1, maxLength: TITLE_MAX_LENGTH },
          price: {
            type: 'number',
            exclusiveMinimum: 0,
            maximum: PRICE_MAX,
            multipleOf: 0.01,
            description: 'At most two decimals',
          },
        },
      },
      TicketUpdate: {
        allOf: [
          ref('TicketInput'),
          {
            type: 'object',
            properties: {
              version: {
                type: 'integer',
                minimum: 0,
                description:
                  'Optional precondition: the version the client edited. When the ticket has ' +
                  'moved on, the update is refused with 409 instead of overwriting.',
              },
            },
          },
        ],
      },
    },
  },
  paths: {
    '/api/tickets': {
      get: {
        tags: ['tickets'],
        summary: 'List tickets for sale',
        description:
          'Tickets that are neither reserved nor deleted, newest first. The body is a plain ' +
          'array; when there is a next page, `X-Next-Cursor` holds its cursor and `Link` its URL.',
        parameters: [
          {
            name: 'limit',
            in: 'query',
            schema: {
              type: 'integer',
              minimum: 1,
              maximum: MAX_PAGE_SIZE,
              default: DEFAULT_PAGE_SIZE,
            },
          },
          {
            name: 'cursor',
            in: 'query',
            description: 'Opaque; the `X-Next-Cursor` of the previous page',
            schema: { type: 'string' },
          },
          { name: 'minPrice', in: 'query', schema: { type: 'number', minimum: 0 } },
          { name: 'maxPrice', in: 'query', schema: { type: 'number', minimum: 0 } },
          {
            name: 'q',
            in: 'query',
            description: 'Case-insensitive text the title contains (taken literally)',
            schema: { type: 'string', maxLength: 200 },
          },
          {
            name: 'userId',
            in: 'query',
            description: 'Only this seller’s tickets',
            schema: { type: 'string' },
          },
        ],
        responses: {
          200: {
            description: 'One page of tickets',
            headers: {
              'X-Next-Cursor': {
                description: 'Cursor of the next page; absent on the last page',
                schema: { type: 'string' },
              },
              Link: {
                description: 'RFC 8288 link to the next page: `<url>; rel="next"`',
                schema: { type: 'string' },
              },
              ...rateLimitHeaders,
            },
            content: json({ type: 'array', items: ref('Ticket') }),
          },
          400: errorBody('Invalid query parameter'),
          429: tooManyRequests(),
        },
      },
      post: {
        tags: ['tickets'],
        summary: 'List a ticket for sale',
        description: 'Publishes `ticket.created` (version 0).',
        security: [{ session: [] }],
        requestBody: { required: true, content: json(ref('TicketInput')) },
        responses: {
          201: { description: 'Created', content: json(ref('Ticket')) },
          400: errorBody('Invalid title or price, or malformed JSON'),
          401: errorBody('Not signed in'),
          429: tooManyRequests(),
        },
      },
    },
    '/api/tickets/{id}': {
      get: {
        tags: ['tickets'],
        summary: 'Show a ticket',
        parameters: [idParameter],
        responses: {
          200: { description: 'The ticket', content: json(ref('Ticket')) },
          404: errorBody('No such ticket (or deleted, or a malformed id)'),
          429: tooManyRequests(),
        },
      },
      put: {
        tags: ['tickets'],
        summary: 'Edit a ticket',
        description: 'Owner only; not while reserved. Publishes `ticket.updated` (version + 1).',
        security: [{ session: [] }],
        parameters: [idParameter],
        requestBody: { required: true, content: json(ref('TicketUpdate')) },
        responses: {
          200: { description: 'The updated ticket', content: json(ref('Ticket')) },
          400: errorBody('Invalid input, or "Cannot edit a reserved ticket"'),
          401: errorBody('Not signed in'),
          403: errorBody('Not the owner'),
          404: errorBody('No such ticket'),
          409: errorBody('Another request changed the ticket first; reload and retry'),
          429: tooManyRequests(),
        },
      },
      delete: {
        tags: ['tickets'],
        summary: 'Withdraw a ticket',
        description: 'Owner only; not while reserved. Publishes `ticket.deleted` (version + 1).',
        security: [{ session: [] }],
        parameters: [idParameter],
        responses: {
          204: { description: 'Deleted' },
          400: errorBody('"Cannot edit a reserved ticket"'),
          401: errorBody('Not signed in'),
          403: errorBody('Not the owner'),
          404: errorBody('No such ticket'),
          409: errorBody('Another request changed the ticket first; retry'),
          429: tooManyRequests(),
        },
      },
    },
  },
};
