import type { Redis } from 'ioredis';
import { Notification } from '../models/notification';
import { inRecipientTurn } from './recipient-turns';

// Applies a change to the counter if it exists (never creating a partial one) and closes the
// change: one fewer write in flight, one more finished. Changes reach Redis in another order
// than MongoDB applied them (a read-all's -2 before the +1 of the notification it also marked
// read), and only their plain sum ends where MongoDB does: a floor at 0 would keep that +1. So
// a count below 0 stays while other changes are in flight (it reads as 0, see `shown`); below 0
// with none left, it drifted (a process died between MongoDB and Redis) and is dropped, to be
// counted again from MongoDB.
const FINISH_CHANGE = `
local count = nil
local delta = tonumber(ARGV[1])
if delta ~= 0 and redis.call('EXISTS', KEYS[1]) == 1 then
  count = redis.call('INCRBY', KEYS[1], delta)
end
local inflight = redis.call('DECR', KEYS[2])
if inflight <= 0 then redis.call('DEL', KEYS[2]) end
if count ~= nil and count < 0 and inflight <= 0 then
  redis.call('DEL', KEYS[1])
  count = 0
end
redis.call('INCR', KEYS[3])
redis.call('EXPIRE', KEYS[3], ARGV[2])
return count
`;

// Caches a count read from MongoDB only if no change was in flight or finished meanwhile.
const CACHE_IF_QUIET = `
if redis.call('EXISTS', KEYS[2]) == 1 then return 0 end
if (redis.call('GET', KEYS[3]) or '0') ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[1], ARGV[2], 'NX', 'EX', ARGV[3])
return 1
`;

/** A counter between changes that reached Redis out of order can be below 0 for a moment. */
function shown(count: number): number {
  return Math.max(0, count);
}

/**
 * Each user's unread count in Redis, kept in step with the inbox: only a real transition in
 * MongoDB (an insert, an update that modified a document) moves it. A missing counter (new
 * user, expired, Redis restarted) is rebuilt from MongoDB. A rebuild racing a change would count
 * it twice or not at all, so changes announce themselves (`inflight`) and leave a mark (`gen`),
 * and a rebuild only caches its count when neither moved while it counted. The counter expires
 * after `ttlSeconds`, so a process that died between MongoDB and Redis cannot leave it wrong
 * for long.
 */
export class UnreadCounter {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly ttlSeconds: number,
  ) {}

  private keys(userId: string): [count: string, inflight: string, gen: string] {
    const base = `${this.prefix}:unread:{${userId}}`;
    return [base, `${base}:inflight`, `${base}:gen`];
  }

  /**
   * Runs a MongoDB write that returns how much the unread count changed, applies that to the
   * counter, and hands the new count (undefined when there is no counter to update) to
   * `announce`. Writes of one user run side by side; applying and announcing run in the user's
   * turn in this process (`inRecipientTurn`), so browsers are told the counts in the order the
   * counter moved.
   */
  async change<T>(
    userId: string,
    write: () => Promise<number>,
    announce: (count: number | undefined) => Promise<T>,
  ): Promise<T> {
    const keys = this.keys(userId);
    await this.redis.multi().incr(keys[1]).expire(keys[1], 60).exec();
    let delta: number;
    try {
      delta = await write();
    } catch (err) {
      await this.finish(keys, 0);
      throw err;
    }
    return inRecipientTurn(userId, async () => announce(await this.finish(keys, delta)));
  }

  private async finish(
    [count, inflight, gen]: [string, string, string],
    delta: number,
  ): Promise<number | undefined> {
    const updated = await this.redis.eval(
      FINISH_CHANGE,
      3,
      count,
      inflight,
      gen,
      String(delta),
      String(this.ttlSeconds),
    );
    return typeof updated === 'number' ? shown(updated) : undefined;
  }

  /** Drops the user's counter (a deleted user's inbox is gone; a rebuild would count 0). */
  async forget(userId: string): Promise<void> {
    await this.redis.del(...this.keys(userId));
  }

  /** The count, from Redis, or rebuilt from MongoDB when the counter is missing. */
  async get(userId: string): Promise<number> {
    const [count, inflight, gen] = this.keys(userId);
    const [cached, genBefore] = await this.redis.mget(count, gen);
    if (cached !== null && cached !== undefined) return shown(Number(cached));
    const counted = await Notification.countDocuments({ recipientId: userId, read: false });
    await this.redis.eval(
      CACHE_IF_QUIET,
      3,
      count,
      inflight,
      gen,
      genBefore ?? '0',
      String(counted),
      String(this.ttlSeconds),
    );
    return counted;
  }
}
