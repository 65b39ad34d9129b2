import { TASK_PRIORITIES, TASK_STATUSES } from '@taskforge/common';
import { Task, weekOf, type TaskPriority, type TaskStatus } from '../models/task';

export const STATS_WEEKS = 12;
const DAY_MS = 24 * 60 * 60 * 1000;

export interface TaskStats {
  total: number;
  byStatus: Record<TaskStatus, number>;
  byPriority: Record<TaskPriority, number>;
  byAssignee: Array<{ assigneeId: string | null; count: number }>;
  overdue: number;
  weekly: Array<{ week: string; created: number; completed: number }>;
  medianCycleTimeMs: number | null;
}

/** The Mondays (UTC) of the last `count` weeks, oldest first, this week last. */
export function lastWeeks(now: Date, count = STATS_WEEKS): string[] {
  const thisWeek = new Date(`${weekOf(now)}T00:00:00Z`).getTime();
  return Array.from({ length: count }, (_v, i) =>
    new Date(thisWeek - (count - 1 - i) * 7 * DAY_MS).toISOString().slice(0, 10),
  );
}

async function countBy(teamId: string, field: string, extra: object = {}) {
  return Task.aggregate<{ _id: string | null; count: number }>([
    { $match: { teamId, deletedAt: null, ...extra } },
    { $group: { _id: `$${field}`, count: { $sum: 1 } } },
  ]);
}

/**
 * The median of the stored cycle times, found by counting and skipping in the
 * `{teamId, status, cycleTimeMs}` index: exact (the mean of the two middle values for an even
 * count, where `$median`'s only method, approximate, returns one value of the set).
 */
async function medianCycleTime(teamId: string): Promise<number | null> {
  const filter = { teamId, status: 'done', deletedAt: null, cycleTimeMs: { $ne: null } };
  const count = await Task.countDocuments(filter);
  if (count === 0) return null;
  const middle = await Task.find(filter, { cycleTimeMs: 1 })
    .sort({ cycleTimeMs: 1, _id: 1 })
    .skip(Math.floor((count - 1) / 2))
    .limit(count % 2 === 0 ? 2 : 1)
    .lean();
  const values = middle.map((task) => task.cycleTimeMs ?? 0);
  return Math.round(values.reduce((sum, value) => sum + value, 0) / values.length);
}

/** The team dashboard, computed by the database from indexed fields. */
export async function taskStats(teamId: string, now: Date): Promise<TaskStats> {
  const weeks = lastWeeks(now);
  const since = weeks[0]!;
  const [byStatus, byPriority, byAssignee, overdue, created, completed, median] = await Promise.all(
    [
      countBy(teamId, 'status'),
      countBy(teamId, 'priority'),
      countBy(teamId, 'assigneeId'),
      Task.countDocuments({
        teamId,
        deletedAt: null,
        status: { $ne: 'done' },
        dueDate: { $lt: now },
      }),
      countBy(teamId, 'createdWeek', { createdWeek: { $gte: since } }),
      countBy(teamId, 'completedWeek', { completedWeek: { $gte: since } }),
      medianCycleTime(teamId),
    ],
  );
  const counts = <K extends string>(
    keys: readonly K[],
    groups: Array<{ _id: string | null; count: number }>,
  ) =>
    Object.fromEntries(
      keys.map((key) => [key, groups.find((g) => g._id === key)?.count ?? 0]),
    ) as Record<K, number>;
  const statusCounts = counts(TASK_STATUSES, byStatus);
  return {
    total: Object.values(statusCounts).reduce((sum, n) => sum + n, 0),
    byStatus: statusCounts,
    byPriority: counts(TASK_PRIORITIES, byPriority),
    byAssignee: byAssignee
      .map((group) => ({ assigneeId: group._id ?? null, count: group.count }))
      .sort(
        (a, b) => b.count - a.count || String(a.assigneeId).localeCompare(String(b.assigneeId)),
      ),
    overdue,
    weekly: weeks.map((week) => ({
      week,
      created: created.find((g) => g._id === week)?.count ?? 0,
      completed: completed.find((g) => g._id === week)?.count ?? 0,
    })),
    medianCycleTimeMs: median,
  };
}
