import {
  decodeTimeCursor,
  encodeTimeCursor,
  sendPageHeaders,
  type TimeCursor,
} from '@taskforge/common';
import type { Request, Response } from 'express';
import { matchedData, query } from 'express-validator';

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 100;

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
      .custom((value: string) => value.length <= 200 && decodeTimeCursor(value, isId) !== undefined)
      .withMessage('Cursor is invalid'),
  ];
}

/** The page the validated query asks for. */
export function requestedPage(
  req: Request,
  isId: (id: string) => boolean,
  defaultLimit = DEFAULT_PAGE_SIZE,
): { limit: number; after: TimeCursor | undefined } {
  const { limit, cursor } = matchedData<{ limit?: number; cursor?: string }>(req, {
    locations: ['query'],
  });
  return {
    limit: limit ?? defaultLimit,
    after: cursor === undefined ? undefined : decodeTimeCursor(cursor, isId),
  };
}

/** One page, the next announced in `X-Next-Cursor` and `Link` (common's `sendPageHeaders`). */
export function sendPage<T>(
  req: Request,
  res: Response,
  rows: T[],
  limit: number,
  cursorOf: (row: T) => TimeCursor,
): T[] {
  return sendPageHeaders(req, res, rows, limit, (row) => encodeTimeCursor(cursorOf(row)));
}
