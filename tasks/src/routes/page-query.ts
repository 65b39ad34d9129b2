import { RequestValidationError } from '@taskforge/common';
import type { Request } from 'express';
import { z } from 'zod';
import { decodePosition, type TimeCursor } from '../services/position-cursor';

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 100;

const pageSchema = z.object({
  limit: z
    .string()
    .regex(/^\d+$/, `Limit must be an integer between 1 and ${MAX_PAGE_SIZE}`)
    .transform(Number)
    .refine(
      (value) => value >= 1 && value <= MAX_PAGE_SIZE,
      `Limit must be an integer between 1 and ${MAX_PAGE_SIZE}`,
    )
    .default(DEFAULT_PAGE_SIZE),
  cursor: z
    .string()
    .max(200, 'Cursor is invalid')
    .transform((value, ctx) => {
      const cursor = decodePosition(value);
      if (!cursor) {
        ctx.addIssue({ code: 'custom', message: 'Cursor is invalid' });
        return z.NEVER;
      }
      return cursor;
    })
    .optional(),
});

/** `limit` and `cursor` of a comments or activity page. */
export function pageQuery(req: Request): { limit: number; cursor?: TimeCursor } {
  const result = pageSchema.safeParse({ limit: req.query.limit, cursor: req.query.cursor });
  if (result.success) return result.data;
  throw new RequestValidationError(
    result.error.issues.map((issue) => {
      const field = issue.path.map(String).join('.');
      return {
        message: issue.code === 'invalid_type' ? `${field} must be a single value` : issue.message,
        field,
      };
    }),
  );
}
