import type { Request, RequestHandler } from 'express';
import {
  ipKeyGenerator,
  MemoryStore,
  rateLimit,
  type IncrementResponse,
  type Options,
  type Store,
} from 'express-rate-limit';
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
  /** Told when the limiters on this Redis client start counting per process. */
  onFallback?: (err: Error) => void;
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

/** Where a Redis client's limiters count right now: shared by every pod, or in this process. */
export type RateLimitMode = 'shared' | 'per-process';

const fallbackSince = new WeakMap<Redis, Date>();

/**
 * `shared` while the limiters on this Redis client count in Redis; `per-process` while Redis is
 * unreachable and each process counts alone (with the moment the first request was counted so).
 */
export function rateLimitMode(redis: Redis): { mode: RateLimitMode; since?: string } {
  const since = fallbackSince.get(redis);
  if (since) return { mode: 'per-process', since: since.toISOString() };
  // Not connected, nothing counted yet: the next request would be counted here.
  return redis.status === 'ready' ? { mode: 'shared' } : { mode: 'per-process' };
}

/**
 * Counts in Redis, shared by every pod; while Redis is unreachable, in this process's memory,
 * so sign-in, sign-up and every other limit still hold (each pod then allows the limit on its
 * own). Back in Redis with the first command that succeeds; what was counted meanwhile stays in
 * memory and is not added to Redis.
 */
class FallbackStore implements Store {
  readonly localKeys = false;
  readonly prefix: string;
  private readonly memory = new MemoryStore();
  private counting: RateLimitMode = 'shared';

  constructor(
    private readonly redis: Redis,
    private readonly shared: RedisStore,
    private readonly onFallback: (err: unknown) => void,
  ) {
    this.prefix = shared.prefix;
  }

  init(options: Options): void {
    this.shared.init(options);
    this.memory.init(options);
  }

  async increment(key: string): Promise<IncrementResponse> {
    return this.either(
      () => this.shared.increment(key),
      () => this.memory.increment(key),
    );
  }

  async decrement(key: string): Promise<void> {
    await this.either(
      () => this.shared.decrement(key),
      () => this.memory.decrement(key),
    );
  }

  async resetKey(key: string): Promise<void> {
    await this.either(
      () => this.shared.resetKey(key),
      () => this.memory.resetKey(key),
    );
  }

  shutdown(): void {
    this.memory.shutdown();
  }

  private async either<T>(shared: () => Promise<T>, local: () => Promise<T>): Promise<T> {
    // A client that is not connected would hold the command until it reconnects or gives up:
    // count here at once instead.
    if (this.redis.status !== 'ready') {
      this.fallBack(new Error(`Redis is ${this.redis.status}`));
      return local();
    }
    try {
      const result = await shared();
      this.counting = 'shared';
      fallbackSince.delete(this.redis);
      return result;
    } catch (err) {
      this.fallBack(err);
      return local();
    }
  }

  private fallBack(err: unknown): void {
    if (!fallbackSince.has(this.redis)) fallbackSince.set(this.redis, new Date());
    if (this.counting === 'per-process') return;
    this.counting = 'per-process';
    this.onFallback(err);
  }
}

/**
 * A Redis-backed limiter shared by every pod of a service. Over the limit: 429 in the common
 * error shape with `Retry-After` and `RateLimit-*` headers. While Redis is unreachable each
 * process counts alone (`rateLimitMode`, reported by `/readyz`) rather than letting every
 * request through or taking the whole API down.
 */
export function createRateLimiter(options: RateLimitOptions): RequestHandler {
  const message = options.message ?? 'Too many requests, please try again later';
  const shared = new RedisStore({
    prefix: `rl:${options.prefix}:`,
    sendCommand: (command: string, ...args: string[]) =>
      options.redis.call(command, ...args) as Promise<RedisReply>,
  });
  return rateLimit({
    windowMs: options.windowMs,
    limit: options.limit,
    standardHeaders: 'draft-6',
    legacyHeaders: false,
    skipSuccessfulRequests: options.skipSuccessfulRequests ?? false,
    keyGenerator: options.keyGenerator ?? userOrIpKey,
    store: new FallbackStore(options.redis, shared, (err) =>
      options.onFallback?.(err instanceof Error ? err : new Error(String(err))),
    ),
    handler: (_req, _res, next) => next(new TooManyRequestsError(message)),
  });
}
