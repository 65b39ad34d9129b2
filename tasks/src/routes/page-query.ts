import { decodeTimeCursor, pageQueryFields, parseQuery } from '@taskforge/common';
import type { Request } from 'express';
import { z } from 'zod';

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 100;

const ID = /^[0-9a-zA-Z_-]{1,64}$/;

const pageSchema = z.object(
  pageQueryFields({
    defaultLimit: DEFAULT_PAGE_SIZE,
    maxLimit: MAX_PAGE_SIZE,
    decodeCursor: (value) => decodeTimeCursor(value, (id) => ID.test(id)),
  }),
);

/** `limit` and `cursor` of a comments or activity page. */
export function pageQuery(req: Request) {
  return parseQuery(pageSchema, { limit: req.query.limit, cursor: req.query.cursor });
}
