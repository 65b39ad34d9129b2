import type { Request, RequestHandler } from 'express';
import { ipKeyGenerator, rateLimit, type Options } from 'express-rate-limit';
import { RedisStore, type RedisReply } from 'rate-limit-redis';
import type { Redis } from 'ioredis';
import { TooManyRequestsError } from '../errors';

export interface RateLimitOptions {
  redis: Redis;
  /** Distinguishes this limiter's counters from every other's in Redis. */
  prefix: string;
  windowMs: number;
  limit: number;
  /** Defaults to `userOrIpKey`. */
  keyGenerator?: Options['keyGenerator'];
  skipSuccessfulRequests?: boolean;
  message?: string;
}

/** The client's address (an IPv6 client by its /56, which one host usually holds whole). */
export function ipKey(req: Request): string {
  return `ip:${ipKeyGenerator(req.ip ?? '')}`;
}

/**
 * The signed-in user (from the verified session, so `currentUser` must run first), else the
 * client's address. The client's server-side rendering calls the APIs for every browser from
 * one address: counted per address, all its users would share one bucket.
 */
export function userOrIpKey(req: Request): string {
  return req.currentUser ? `user:${req.currentUser.id}` : ipKey(req);
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
    keyGenerator: options.keyGenerator ?? userOrIpKey,
    store: new RedisStore({
      prefix: `rl:${options.prefix}:`,
      sendCommand: (command: string, ...args: string[]) =>
        options.redis.call(command, ...args) as Promise<RedisReply>,
    }),
    handler: (_req, _res, next) => next(new TooManyRequestsError(message)),
  });
}
