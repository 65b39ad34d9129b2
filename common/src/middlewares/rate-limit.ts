import type { RequestHandler } from 'express';
import { rateLimit, type Options } from 'express-rate-limit';
import { RedisStore, type RedisReply } from 'rate-limit-redis';
import type { Redis } from 'ioredis';
import { TooManyRequestsError } from '../errors';

export interface RateLimitOptions {
  redis: Redis;
  /** Distinguishes this limiter's counters from every other's in Redis. */
  prefix: string;
  windowMs: number;
  limit: number;
  keyGenerator?: Options['keyGenerator'];
  skipSuccessfulRequests?: boolean;
  message?: string;
}

/**
 * A Redis-backed limiter shared by every pod of a service. Over the limit: 429 in the common
 * error shape with `Retry-After` and `RateLimit-*` headers. If Redis is unreachable requests
 * pass (readiness reports it) rather than taking the whole API down.
 */
export function createRateLimiter(options: RateLimitOptions): RequestHandler {
  const message = options.message ?? 'Too many requests, please try again later';
  return rateLimit({
    windowMs: options.windowMs,
    limit: options.limit,
    standardHeaders: 'draft-6',
    legacyHeaders: false,
    passOnStoreError: true,
    skipSuccessfulRequests: options.skipSuccessfulRequests ?? false,
    ...(options.keyGenerator ? { keyGenerator: options.keyGenerator } : {}),
    store: new RedisStore({
      prefix: `rl:${options.prefix}:`,
      sendCommand: (command: string, ...args: string[]) =>
        options.redis.call(command, ...args) as Promise<RedisReply>,
    }),
    handler: (_req, _res, next) => next(new TooManyRequestsError(message)),
  });
}
