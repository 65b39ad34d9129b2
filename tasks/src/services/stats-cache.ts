import type { Logger } from '@taskforge/common';
import type { Redis } from 'ioredis';
import { ALL_STATS_BUCKETS } from '../models/task';
import type { TaskStats } from '../contracts/stats';
import { computeBuckets, mergeBuckets, taskStats, type BucketStats } from './stats';

/**
 * A team's dashboard kept in Redis as 64 parts (a task's `statsBucket`, fixed by its id), so a
 * read after a write recomputes the one part the write touched, about 1/64 of the team, and adds
 * up the others: the cost of the figures after a write hardly grows with the team.
 *
 * Exact, not eventually right: every task write bumps its bucket's generation (`editTask`,
 * before the response goes out), and a part is stored under the generation read before it was
 * computed, so a computation that raced a write lands under a generation nobody reads any more.
 * Time moves the overdue count, so a part also ends when the next due date of one of its open
 * tasks passes (weeks are kept whole and windowed when the parts are added up). The TTL bounds
 * what a process that died between its write and the bump could leave behind; `invalidate`
 * supersedes a whole team (a change made behind the service's back). Concurrent readers of one
 * team share one computation of each part. Redis down: computed directly.
 */
export class StatsCache {
  private readonly inflight = new Map<string, Promise<Map<number, BucketStats>>>();

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly ttlSeconds: number,
    private readonly logger: Logger,
  ) {}

  private generationKey(teamId: string, bucket: number): string {
    return `${this.prefix}:stats-gen:${teamId}:${bucket}`;
  }

  private partKey(teamId: string, bucket: number, generation: string): string {
    return `${this.prefix}:stats:${teamId}:${bucket}:${generation}`;
  }

  async get(teamId: string, now: Date): Promise<TaskStats> {
    let generations: string[];
    const parts = new Map<number, BucketStats>();
    try {
      generations = (
        await this.redis.mget(ALL_STATS_BUCKETS.map((b) => this.generationKey(teamId, b)))
      ).map((g) => g ?? '0');
      const raw = await this.redis.mget(
        ALL_STATS_BUCKETS.map((b) => this.partKey(teamId, b, generations[b]!)),
      );
      raw.forEach((value, bucket) => {
        if (value === null) return;
        const part = JSON.parse(value) as BucketStats;
        // JSON has no Infinity: a part with no open task due later stores null.
        part.validUntil ??= Number.POSITIVE_INFINITY;
        if (part.validUntil > now.getTime()) parts.set(bucket, part);
      });
    } catch (err) {
      this.logger.warn({ err, teamId }, 'stats cache unavailable; computing the stats directly');
      return taskStats(teamId, now);
    }
    const missing = ALL_STATS_BUCKETS.filter((b) => !parts.has(b));
    if (missing.length > 0) {
      const computed = await this.compute(teamId, missing, generations, now);
      for (const [bucket, part] of computed) parts.set(bucket, part);
    }
    return mergeBuckets(parts.values(), now);
  }

  /** After a write of a task of the team: the cached part of its bucket is never read again. */
  async bump(teamId: string, bucket: number): Promise<void> {
    await this.bumpBuckets(teamId, [bucket]);
  }

  /** Supersedes every cached part of the team: after tasks changed behind the service's back. */
  async invalidate(teamId: string): Promise<void> {
    await this.bumpBuckets(teamId, ALL_STATS_BUCKETS);
  }

  private async bumpBuckets(teamId: string, buckets: readonly number[]): Promise<void> {
    try {
      // A generation outlives every part, so a counter that expired cannot restart at a number
      // a part still lives under.
      const multi = this.redis.multi();
      for (const bucket of buckets) {
        const key = this.generationKey(teamId, bucket);
        multi.incr(key).expire(key, this.ttlSeconds * 4);
      }
      await multi.exec();
    } catch (err) {
      // Redis is failing: readers compute directly while it does, and the TTL ends what it
      // still holds once it is back.
      this.logger.warn({ err, teamId }, 'stats generation not bumped');
    }
  }

  private compute(
    teamId: string,
    buckets: number[],
    generations: string[],
    now: Date,
  ): Promise<Map<number, BucketStats>> {
    const flightKey = `${teamId}:${buckets.map((b) => `${b}.${generations[b]}`).join(',')}`;
    const running = this.inflight.get(flightKey);
    if (running) return running;
    const flight = (async () => {
      const computed = await computeBuckets(teamId, now, buckets);
      const multi = this.redis.multi();
      let stored = 0;
      for (const [bucket, part] of computed) {
        const ttlMs = Math.min(this.ttlSeconds * 1000, part.validUntil - now.getTime());
        if (ttlMs <= 0) continue;
        multi.set(
          this.partKey(teamId, bucket, generations[bucket]!),
          JSON.stringify(part),
          'PX',
          ttlMs,
        );
        stored += 1;
      }
      if (stored > 0) {
        await multi.exec().catch((err: unknown) => {
          this.logger.warn({ err, teamId }, 'stats not cached');
        });
      }
      return computed;
    })().finally(() => this.inflight.delete(flightKey));
    this.inflight.set(flightKey, flight);
    return flight;
  }
}
