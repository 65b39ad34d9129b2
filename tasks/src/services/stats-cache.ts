import type { Logger } from '@taskforge/common';
import type { Redis } from 'ioredis';
import { Task, weekOf } from '../models/task';
import { taskStats, type TaskStats } from './stats';

const WEEK_MS = 7 * 24 * 60 * 60 * 1000;

interface Entry {
  stats: TaskStats;
  /** When the figures go stale by time alone (a due date passes, a new week starts), in ms. */
  validUntil: number;
}

/**
 * A team's dashboard in Redis, so reading it costs one lookup however many tasks the team has.
 *
 * Exact, not eventually right: every task write bumps the team's generation (`afterTaskWrite`,
 * before the response goes out), and an entry is stored under the generation read before it
 * was computed, so a computation that raced a write lands under a generation nobody reads any
 * more. Time moves the figures too (overdue counts, the weekly window), so an entry also ends
 * at the next due date of an open task or the next Monday, whichever comes first. The TTL
 * bounds what a process that died between its write and the bump could leave behind.
 * Concurrent readers of one generation share one computation. Redis down: computed directly.
 */
export class StatsCache {
  private readonly inflight = new Map<string, Promise<Entry>>();

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly ttlSeconds: number,
    private readonly logger: Logger,
  ) {}

  private generationKey(teamId: string): string {
    return `${this.prefix}:stats-gen:${teamId}`;
  }

  private entryKey(teamId: string, generation: string): string {
    return `${this.prefix}:stats:${teamId}:${generation}`;
  }

  async get(teamId: string, now: Date): Promise<TaskStats> {
    let generation: string;
    try {
      generation = (await this.redis.get(this.generationKey(teamId))) ?? '0';
      const raw = await this.redis.get(this.entryKey(teamId, generation));
      if (raw !== null) {
        const entry = JSON.parse(raw) as Entry;
        if (entry.validUntil > now.getTime()) return entry.stats;
      }
    } catch (err) {
      this.logger.warn({ err, teamId }, 'stats cache unavailable; computing the stats directly');
      return taskStats(teamId, now);
    }
    return (await this.compute(teamId, generation, now)).stats;
  }

  /** After any write to a team's tasks: cached figures of earlier generations are never read. */
  async bump(teamId: string): Promise<void> {
    const key = this.generationKey(teamId);
    try {
      // The generation outlives every entry, so a counter that expired cannot restart at a
      // number an entry still lives under.
      await this.redis
        .multi()
        .incr(key)
        .expire(key, this.ttlSeconds * 4)
        .exec();
    } catch (err) {
      // Redis is failing: readers compute directly while it does, and the TTL ends what it
      // still holds once it is back.
      this.logger.warn({ err, teamId }, 'stats generation not bumped');
    }
  }

  private compute(teamId: string, generation: string, now: Date): Promise<Entry> {
    const flightKey = `${teamId}:${generation}`;
    const running = this.inflight.get(flightKey);
    if (running) return running;
    const flight = (async () => {
      const [stats, validUntil] = await Promise.all([
        taskStats(teamId, now),
        staleAfter(teamId, now),
      ]);
      const entry: Entry = { stats, validUntil };
      const ttlMs = Math.min(this.ttlSeconds * 1000, validUntil - now.getTime());
      if (ttlMs > 0) {
        await this.redis
          .set(this.entryKey(teamId, generation), JSON.stringify(entry), 'PX', ttlMs)
          .catch((err: unknown) => this.logger.warn({ err, teamId }, 'stats not cached'));
      }
      return entry;
    })().finally(() => this.inflight.delete(flightKey));
    this.inflight.set(flightKey, flight);
    return flight;
  }
}

/** The first moment after `now` at which the team's stats change without a write. */
export async function staleAfter(teamId: string, now: Date): Promise<number> {
  const dueNext = await Task.findOne(
    { teamId, deletedAt: null, status: { $ne: 'done' }, dueDate: { $gte: now } },
    { dueDate: 1 },
  )
    .sort({ dueDate: 1 })
    .lean();
  const nextMonday = mondayAfter(now);
  // `overdue` counts due dates strictly before now: a task due at T is overdue just after T.
  const dueAt = dueNext?.dueDate ? dueNext.dueDate.getTime() + 1 : Number.POSITIVE_INFINITY;
  return Math.min(nextMonday, dueAt);
}

/** 00:00 UTC of the Monday after `now`, when the weekly window moves on. */
export function mondayAfter(now: Date): number {
  return new Date(`${weekOf(now)}T00:00:00Z`).getTime() + WEEK_MS;
}
