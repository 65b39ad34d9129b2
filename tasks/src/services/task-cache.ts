import type { Logger } from '@taskforge/common';
import type { Redis } from 'ioredis';
import type { TaskResponse } from '../contracts/tasks';

/*
 * Task details in Redis, cache-aside with a TTL, and never stale after a write returns:
 * every entry carries the task version, and one Lua script stores an entry only when the
 * cache holds nothing newer. Writers store the version they saved (write-through) before
 * answering; a reader that loaded an older version from the database while a write went on
 * cannot overwrite the newer entry, which is the race plain "delete on write" loses. A deleted
 * task leaves a tombstone with its last version, so an old copy cannot come back either.
 */
const STORE_IF_NEWER = `
local current = redis.call('GET', KEYS[1])
if current then
  local version = tonumber(string.match(current, '^(%d+)|'))
  if version and version >= tonumber(ARGV[1]) then return 0 end
end
redis.call('SET', KEYS[1], ARGV[1] .. '|' .. ARGV[2], 'EX', tonumber(ARGV[3]))
return 1
`;

const TOMBSTONE = 'deleted';

type CachedTask = { state: 'hit'; task: TaskResponse } | { state: 'deleted' } | { state: 'miss' };

interface CacheRedis extends Redis {
  storeTaskIfNewer(key: string, version: number, value: string, ttl: number): Promise<number>;
}

export class TaskCache {
  private readonly redis: CacheRedis;

  constructor(
    redis: Redis,
    private readonly prefix: string,
    private readonly ttlSeconds: number,
  ) {
    if (!('storeTaskIfNewer' in redis)) {
      redis.defineCommand('storeTaskIfNewer', { numberOfKeys: 1, lua: STORE_IF_NEWER });
    }
    this.redis = redis as CacheRedis;
  }

  key(id: string): string {
    return `${this.prefix}:task:${id}`;
  }

  async get(id: string): Promise<CachedTask> {
    const raw = await this.redis.get(this.key(id));
    if (raw === null) return { state: 'miss' };
    const value = raw.slice(raw.indexOf('|') + 1);
    if (value === TOMBSTONE) return { state: 'deleted' };
    return { state: 'hit', task: JSON.parse(value) as TaskResponse };
  }

  /** Stores the task unless the cache already holds this version or a newer one. */
  async store(task: TaskResponse): Promise<boolean> {
    const stored = await this.redis.storeTaskIfNewer(
      this.key(task.id),
      task.version,
      JSON.stringify(task),
      this.ttlSeconds,
    );
    return stored === 1;
  }

  /**
   * After a write: store the saved version. If Redis refuses, drop the entry instead, so an
   * older copy is not served for the rest of its TTL; readers then go to the database.
   */
  async storeAfterWrite(
    task: TaskResponse | { id: string; version: number; deleted: true },
    logger: Logger,
  ): Promise<void> {
    try {
      if ('deleted' in task) await this.storeDeleted(task.id, task.version);
      else await this.store(task);
    } catch (err) {
      logger.warn({ err, taskId: task.id }, 'task cache not updated; dropping the entry');
      await this.redis.del(this.key(task.id)).catch(() => undefined);
    }
  }

  /** Marks the task deleted at `version`, so no older copy is served or stored again. */
  async storeDeleted(id: string, version: number): Promise<void> {
    await this.redis.storeTaskIfNewer(this.key(id), version, TOMBSTONE, this.ttlSeconds);
  }
}
