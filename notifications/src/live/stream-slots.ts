import type { Redis } from 'ioredis';

/**
 * Counts a user's open streams across every pod: a sorted set of connection ids scored by their
 * last heartbeat. Entries of a pod that died without closing go stale and stop counting.
 */
export class StreamSlots {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly max: number,
    private readonly staleAfterMs: number,
  ) {}

  private key(userId: string): string {
    return `${this.prefix}:streams:{${userId}}`;
  }

  /** Takes a slot for the connection; false when the user already has `max` open streams. */
  async acquire(userId: string, connectionId: string): Promise<boolean> {
    const key = this.key(userId);
    const now = Date.now();
    const result = await this.redis
      .multi()
      .zremrangebyscore(key, '-inf', now - this.staleAfterMs)
      .zadd(key, now, connectionId)
      .zcard(key)
      .pexpire(key, this.staleAfterMs)
      .exec();
    const open = Number(result?.[2]?.[1] ?? 0);
    if (open <= this.max) return true;
    await this.release(userId, connectionId);
    return false;
  }

  async refresh(userId: string, connectionId: string): Promise<void> {
    const key = this.key(userId);
    await this.redis
      .multi()
      .zadd(key, Date.now(), connectionId)
      .pexpire(key, this.staleAfterMs)
      .exec();
  }

  async release(userId: string, connectionId: string): Promise<void> {
    await this.redis.zrem(this.key(userId), connectionId);
  }
}
