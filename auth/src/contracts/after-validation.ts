import type { Request, RequestHandler, Response } from 'express';

/**
 * ADAPTER, until common's `handle` can run middleware between validating a request and its
 * handler: runs a rate limiter from inside a handler, once `handle` has validated the body.
 * The limits per email and per user counted only valid requests when they followed the
 * express-validator chain, and they still do. Over the limit it rejects with the limiter's 429.
 */
export function afterValidation(
  limiter: RequestHandler,
): (req: Request, res: Response) => Promise<void> {
  return (req, res) =>
    new Promise((resolve, reject) => {
      void limiter(req, res, (err?: unknown) => (err ? reject(err) : resolve()));
    });
}
