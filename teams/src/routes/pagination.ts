import type { Request, Response } from 'express';
import { matchedData, query } from 'express-validator';
import type { PageCursor } from '../db/memberships';

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 100;

/** Opaque to clients: the sort time (ms) and tie-breaking id of the last row of a page. */
export function encodeCursor(cursor: PageCursor): string {
  return Buffer.from(JSON.stringify([cursor.at.getTime(), cursor.id])).toString('base64url');
}

export function decodeCursor(value: string, isId: (id: string) => boolean): PageCursor | undefined {
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

const single = (value: unknown) => typeof value === 'string';

/**
 * `limit` (1..max, the max possibly depending on the request) and `cursor` query parameters;
 * arrays and objects are refused.
 */
export function pageQuery(
  isId: (id: string) => boolean,
  max: number | ((req: Request) => number) = MAX_PAGE_SIZE,
) {
  const maxFor = (req: unknown) => (typeof max === 'number' ? max : max(req as Request));
  return [
    query('limit')
      .optional()
      .custom(single)
      .bail()
      .custom((value: string, { req }) => {
        const limit = /^\d{1,6}$/.test(value) ? Number(value) : NaN;
        return limit >= 1 && limit <= maxFor(req);
      })
      .withMessage((_value, { req }) => `Limit must be an integer between 1 and ${maxFor(req)}`)
      .toInt(),
    query('cursor')
      .optional()
      .custom(single)
      .bail()
      .custom((value: string) => value.length <= 200 && decodeCursor(value, isId) !== undefined)
      .withMessage('Cursor is invalid'),
  ];
}

/** The page the validated query asks for. */
export function requestedPage(
  req: Request,
  isId: (id: string) => boolean,
  defaultLimit = DEFAULT_PAGE_SIZE,
): { limit: number; after: PageCursor | undefined } {
  const { limit, cursor } = matchedData<{ limit?: number; cursor?: string }>(req, {
    locations: ['query'],
  });
  return {
    limit: limit ?? defaultLimit,
    after: cursor === undefined ? undefined : decodeCursor(cursor, isId),
  };
}

/**
 * Sends one page: fetches limit + 1 rows to know whether more follow, and announces the next
 * page in `X-Next-Cursor` and an RFC 8288 `Link` that keeps the other query parameters.
 */
export function sendPage<T>(
  req: Request,
  res: Response,
  rows: T[],
  limit: number,
  cursorOf: (row: T) => PageCursor,
): T[] {
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  if (rows.length > limit && last) {
    const cursor = encodeCursor(cursorOf(last));
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(req.query)) {
      if (key !== 'cursor' && value !== undefined) params.set(key, String(value));
    }
    params.set('cursor', cursor);
    res.set('X-Next-Cursor', cursor);
    res.set('Link', `<${req.baseUrl}${req.path}?${params.toString()}>; rel="next"`);
  }
  res.set('Access-Control-Expose-Headers', 'Link, X-Next-Cursor');
  return page;
}
