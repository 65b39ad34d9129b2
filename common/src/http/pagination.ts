import type { Request, Response } from 'express';
import { z } from 'zod';
import { RequestValidationError } from '../errors';
import { validationErrors } from './contract';

/** Where a page ended in a (time, id) order: the sort time and the tie-breaking id. */
export interface TimeCursor {
  at: Date;
  id: string;
}

/** Opaque to clients: base64url of `[time in ms, id]`. */
export function encodeTimeCursor(cursor: TimeCursor): string {
  return Buffer.from(JSON.stringify([cursor.at.getTime(), cursor.id])).toString('base64url');
}

/** The cursor, or undefined when it is not one this service made (`isId` checks the id). */
export function decodeTimeCursor(
  value: string,
  isId: (id: string) => boolean,
): TimeCursor | undefined {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(value, 'base64url').toString('utf8'));
    if (!Array.isArray(parsed) || parsed.length !== 2) return undefined;
    const [time, id] = parsed as [unknown, unknown];
    if (!Number.isSafeInteger(time) || typeof id !== 'string' || !isId(id)) return undefined;
    const at = new Date(time as number);
    return Number.isNaN(at.getTime()) ? undefined : { at, id };
  } catch {
    return undefined;
  }
}

/**
 * The `limit` and `cursor` query parameters of a list route, as zod fields: a single string
 * each (arrays and objects such as `?cursor[$ne]=` are refused), `limit` in 1..max.
 */
export function pageQueryFields<C>(options: {
  defaultLimit: number;
  maxLimit: number;
  decodeCursor: (value: string) => C | undefined;
  maxCursorLength?: number;
}) {
  const limitMessage = `Limit must be an integer between 1 and ${options.maxLimit}`;
  return {
    limit: z
      .string()
      .regex(/^\d{1,6}$/, limitMessage)
      .transform(Number)
      .refine((value) => value >= 1 && value <= options.maxLimit, limitMessage)
      .default(options.defaultLimit)
      // What a client sends, for the documents (the string is how a query carries it).
      .meta({
        type: 'integer',
        minimum: 1,
        maximum: options.maxLimit,
        default: options.defaultLimit,
      }),
    cursor: z
      .string()
      .meta({ description: 'Opaque; the `X-Next-Cursor` of the previous page' })
      .max(options.maxCursorLength ?? 200, 'Cursor is invalid')
      .transform((value, ctx) => {
        const cursor = options.decodeCursor(value);
        if (cursor === undefined) {
          ctx.addIssue({ code: 'custom', message: 'Cursor is invalid' });
          return z.NEVER;
        }
        return cursor;
      })
      .optional(),
  };
}

/**
 * Parses query parameters with a zod schema; failures become one 400 naming every bad field, in
 * the words route contracts use (`validationErrors`: a value given twice or bracketed "must be
 * a single value").
 */
export function parseQuery<S extends z.ZodType>(schema: S, query: unknown): z.output<S> {
  const result = schema.safeParse(query, { reportInput: true });
  if (result.success) return result.data;
  throw new RequestValidationError(validationErrors(result.error.issues, 'query'));
}

/**
 * One page of `rows`, fetched with `limit + 1` to know whether more follow. When they do, the
 * next page is announced in `X-Next-Cursor` and an RFC 8288 `Link` that keeps the request's
 * other query parameters.
 */
export function sendPageHeaders<T>(
  req: Request,
  res: Response,
  rows: T[],
  limit: number,
  cursorOf: (row: T) => string,
): T[] {
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  if (rows.length > limit && last !== undefined) {
    const cursor = cursorOf(last);
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(req.query)) {
      if (key !== 'cursor' && (typeof value === 'string' || typeof value === 'number')) {
        params.set(key, String(value));
      }
    }
    params.set('cursor', cursor);
    res.set('X-Next-Cursor', cursor);
    res.set('Link', `<${req.baseUrl}${req.path}?${params.toString()}>; rel="next"`);
  }
  res.set('Access-Control-Expose-Headers', 'Link, X-Next-Cursor');
  return page;
}
