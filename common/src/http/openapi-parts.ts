import { errorResponseSchema } from './service-app';

/**
 * The pieces every service's OpenAPI 3.1 document repeats: references, JSON bodies, the error
 * shape, the rate-limit and page headers, and the session cookie. Documents stay plain objects;
 * these only save writing the same shapes five times.
 */
export const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

export const json = (schema: object) => ({ 'application/json': { schema } });

export const nullable = (schema: object) => ({ oneOf: [schema, { type: 'null' }] });

/** A response in the `{ errors: [...] }` shape (needs `ErrorResponse` in the components). */
export const errorBody = (description: string) => ({
  description,
  content: json(ref('ErrorResponse')),
});

export const rateLimitHeaders = {
  'RateLimit-Limit': { description: 'Requests allowed per window', schema: { type: 'integer' } },
  'RateLimit-Remaining': {
    description: 'Requests left in the window',
    schema: { type: 'integer' },
  },
  'RateLimit-Reset': {
    description: 'Seconds until the window resets',
    schema: { type: 'integer' },
  },
};

/** `X-Next-Cursor` and `Link`, as `sendPageHeaders` sets them. */
export const pageHeaders = {
  'X-Next-Cursor': {
    description: 'Cursor of the next page; absent on the last page',
    schema: { type: 'string' },
  },
  Link: {
    description: 'RFC 8288 link to the next page: `<url>; rel="next"`',
    schema: { type: 'string' },
  },
};

/** The 429 the rate limiter answers, with its headers. */
export const tooManyRequests = (description = 'Too many requests') => ({
  description,
  headers: {
    'Retry-After': { description: 'Seconds until the window resets', schema: { type: 'integer' } },
    ...rateLimitHeaders,
  },
  content: json(ref('ErrorResponse')),
});

export const notSignedIn = errorBody('Not signed in');

/** The session cookie auth sets (`security: [{ session: [] }]` on an operation). */
export const sessionSecurityScheme = {
  session: { type: 'apiKey', in: 'cookie', name: 'session' },
} as const;

/** The components every document has: the session cookie and the error shape. */
export const baseComponents = {
  securitySchemes: sessionSecurityScheme,
  schemas: { ErrorResponse: errorResponseSchema },
};
