import { createRateLimiter, ipKey } from '@taskforge/common';
import type { Request, RequestHandler, Response } from 'express';
import type { Redis } from 'ioredis';
import { afterValidation } from '../contracts/after-validation';
import { emailAddress } from '../contracts/shared';

export interface AddressLimitOptions {
  /** Names the two buckets: `<name>-ip` and `<name>-email`. */
  name: string;
  windowMs: number;
  maxPerIp: number;
  maxPerEmail: number;
  message: string;
  /** Count only answers that failed (4xx), so a user who signs in often is never locked out. */
  failuresOnly?: boolean;
}

/**
 * The two limits on a request that names an address: `perIp`, a middleware before the route,
 * and `perEmail`, run from the handler once the body is valid, so its key is the address as
 * validated (trimmed and lower-cased) and invalid requests do not count.
 */
export function addressLimits(
  deps: { redis: Redis; redisPrefix: string },
  options: AddressLimitOptions,
): {
  perIp: RequestHandler;
  perEmail: (req: Request, res: Response) => Promise<void>;
} {
  const shared = {
    redis: deps.redis,
    windowMs: options.windowMs,
    skipSuccessfulRequests: options.failuresOnly,
    message: options.message,
  };
  return {
    perIp: createRateLimiter({
      ...shared,
      prefix: `${deps.redisPrefix}:${options.name}-ip`,
      limit: options.maxPerIp,
      // Per IP even when signed in: one session must not buy a fresh bucket of tries.
      keyGenerator: ipKey,
    }),
    perEmail: afterValidation(
      createRateLimiter({
        ...shared,
        prefix: `${deps.redisPrefix}:${options.name}-email`,
        limit: options.maxPerEmail,
        keyGenerator: (req) => emailAddress.parse((req.body as { email: unknown }).email),
      }),
    ),
  };
}
