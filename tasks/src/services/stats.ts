import { TASK_PRIORITIES, TASK_STATUSES } from '@taskforge/common';
import type { PipelineStage } from 'mongoose';
import type { TaskStats } from '../contracts/stats';
import { ALL_STATS_BUCKETS, STATS_BUCKETS, statsBucketOf, Task, weekOf } from '../models/task';

export const STATS_WEEKS = 12;
const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * The figures of one stats bucket of a team (the live tasks whose `statsBucket` it is), in a
 * form that adds up: counts by key, every week ever seen (the window is applied when the
 * buckets are merged), the sorted cycle times of the done tasks (for an exact median) and the
 * moment the bucket's overdue count changes with no write.
 */
export interface BucketStats {
  byStatus: Record<string, number>;
  byPriority: Record<string, number>;
  /** By assignee id; the empty string stands for no assignee. */
  byAssignee: Record<string, number>;
  created: Record<string, number>;
  completed: Record<string, number>;
  overdue: number;
  cycleTimes: number[];
  /** `overdue` counts due dates strictly before now: the first open task due at T adds one at T + 1 ms. */
  validUntil: number;
}

/** The Mondays (UTC) of the last `count` weeks, oldest first, this week last. */
export function lastWeeks(now: Date, count = STATS_WEEKS): string[] {
  const thisWeek = new Date(`${weekOf(now)}T00:00:00Z`).getTime();
  return Array.from({ length: count }, (_v, i) =>
    new Date(thisWeek - (count - 1 - i) * 7 * DAY_MS).toISOString().slice(0, 10),
  );
}

/** The counts a bucket keeps, each of the task field it counts by. */
const COUNTS = {
  byStatus: 'status',
  byPriority: 'priority',
  byAssignee: 'assigneeId',
  created: 'createdWeek',
  completed: 'completedWeek',
} as const;
const COUNT_NAMES = Object.keys(COUNTS) as Array<keyof typeof COUNTS>;

const emptyBucket = (): BucketStats => ({
  byStatus: {},
  byPriority: {},
  byAssignee: {},
  created: {},
  completed: {},
  overdue: 0,
  cycleTimes: [],
  validUntil: Number.POSITIVE_INFINITY,
});

const add = (counts: Record<string, number>, key: string, n = 1) => {
  counts[key] = (counts[key] ?? 0) + n;
};

/** Whether `buckets` names some of a team's buckets rather than all of them. */
const someBuckets = (buckets?: number[]): buckets is number[] =>
  buckets !== undefined && buckets.length < STATS_BUCKETS;

/** The tasks of some buckets of a team (all of them without `buckets`). */
function bucketsMatch(teamId: string, buckets?: number[]): Record<string, unknown> {
  const match: Record<string, unknown> = { teamId, deletedAt: null };
  if (someBuckets(buckets)) match.statsBucket = { $in: buckets };
  return match;
}

interface Group {
  _id: { b: number; k?: string | null };
  n?: number;
  due?: Date;
  times?: number[];
}

/**
 * The aggregations behind the figures of some buckets of a team, each grouped by bucket: the
 * counts by each key, the overdue count, the next due date of an open task, the cycle times of
 * the done tasks. With `buckets`, each reads the `{teamId, statsBucket}` index.
 */
export function bucketsPipelines(teamId: string, now: Date, buckets?: number[]) {
  const match = bucketsMatch(teamId, buckets);
  const countBy = (field: string) => [
    { $match: match },
    { $group: { _id: { b: '$statsBucket', k: `$${field}` }, n: { $sum: 1 } } },
  ];
  return {
    ...(Object.fromEntries(COUNT_NAMES.map((name) => [name, countBy(COUNTS[name])])) as Record<
      keyof typeof COUNTS,
      PipelineStage[]
    >),
    overdue: [
      { $match: { ...match, status: { $ne: 'done' }, dueDate: { $lt: now } } },
      { $group: { _id: { b: '$statsBucket' }, n: { $sum: 1 } } },
    ],
    nextDue: [
      { $match: { ...match, status: { $ne: 'done' }, dueDate: { $gte: now } } },
      { $group: { _id: { b: '$statsBucket' }, due: { $min: '$dueDate' } } },
    ],
    cycleTimes: [
      { $match: { ...match, status: 'done', cycleTimeMs: { $ne: null } } },
      { $group: { _id: { b: '$statsBucket' }, times: { $push: '$cycleTimeMs' } } },
    ],
  };
}

/**
 * One of them, run: some buckets read their tasks from `{teamId, statsBucket}` by name, since the
 * planner may prefer an index of another filter of the pipeline that reads the whole team.
 */
export function bucketsAggregate(pipeline: PipelineStage[], buckets?: number[]) {
  const aggregate = Task.aggregate<Group>(pipeline);
  if (someBuckets(buckets)) aggregate.option({ hint: { teamId: 1, statsBucket: 1 } });
  return aggregate;
}

/**
 * The figures of the given buckets of a team (all of them without `buckets`), computed by the
 * database: a bucket holds about 1/64 of the team, so one bucket costs about 1/64 of the team.
 */
export async function computeBuckets(
  teamId: string,
  now: Date,
  buckets?: number[],
): Promise<Map<number, BucketStats>> {
  const pipelines = bucketsPipelines(teamId, now, buckets);
  const names = Object.keys(pipelines) as Array<keyof typeof pipelines>;
  const results = await Promise.all(
    names.map((name) => bucketsAggregate(pipelines[name] as PipelineStage[], buckets)),
  );
  const groups = Object.fromEntries(names.map((name, i) => [name, results[i]!])) as Record<
    keyof typeof pipelines,
    Group[]
  >;
  const result = new Map<number, BucketStats>();
  for (const bucket of buckets ?? ALL_STATS_BUCKETS) {
    result.set(bucket, emptyBucket());
  }
  const each = (list: Group[], apply: (stats: BucketStats, group: Group) => void) => {
    for (const group of list) {
      const stats = result.get(group._id.b);
      if (stats) apply(stats, group);
    }
  };
  const key = (group: Group) => group._id.k ?? '';
  for (const name of COUNT_NAMES) {
    each(groups[name], (stats, g) => add(stats[name], key(g), g.n ?? 0));
  }
  each(groups.overdue, (stats, g) => {
    stats.overdue = g.n ?? 0;
  });
  // `overdue` counts due dates strictly before now: a task due at T is overdue from T + 1 ms.
  each(groups.nextDue, (stats, g) => {
    if (g.due) stats.validUntil = new Date(g.due).getTime() + 1;
  });
  each(groups.cycleTimes, (stats, g) => {
    stats.cycleTimes = [...(g.times ?? [])].sort((x, y) => x - y);
  });
  return result;
}

/** The exact median of sorted lists: the middle value, or the mean of the two middle values. */
function medianOf(sortedLists: number[][]): number | null {
  const values = sortedLists.flat().sort((a, b) => a - b);
  if (values.length === 0) return null;
  const middle = Math.floor((values.length - 1) / 2);
  const picked =
    values.length % 2 === 0 ? [values[middle]!, values[middle + 1]!] : [values[middle]!];
  return Math.round(picked.reduce((sum, value) => sum + value, 0) / picked.length);
}

/** The team dashboard from the figures of all its buckets. */
export function mergeBuckets(buckets: Iterable<BucketStats>, now: Date): TaskStats {
  const all = emptyBucket();
  const cycleTimes: number[][] = [];
  for (const bucket of buckets) {
    for (const name of COUNT_NAMES) {
      for (const [key, n] of Object.entries(bucket[name])) add(all[name], key, n);
    }
    all.overdue += bucket.overdue;
    cycleTimes.push(bucket.cycleTimes);
  }
  const counts = <K extends string>(keys: readonly K[], groups: Record<string, number>) =>
    Object.fromEntries(keys.map((key) => [key, groups[key] ?? 0])) as Record<K, number>;
  const byStatus = counts(TASK_STATUSES, all.byStatus);
  return {
    total: Object.values(byStatus).reduce((sum, n) => sum + n, 0),
    byStatus,
    byPriority: counts(TASK_PRIORITIES, all.byPriority),
    byAssignee: Object.entries(all.byAssignee)
      .map(([assigneeId, count]) => ({ assigneeId: assigneeId || null, count }))
      .sort(
        (a, b) => b.count - a.count || String(a.assigneeId).localeCompare(String(b.assigneeId)),
      ),
    overdue: all.overdue,
    weekly: lastWeeks(now).map((week) => ({
      week,
      created: all.created[week] ?? 0,
      completed: all.completed[week] ?? 0,
    })),
    medianCycleTimeMs: medianOf(cycleTimes),
  };
}

/** The team dashboard computed from every task of the team, with no cache. */
export async function taskStats(teamId: string, now: Date): Promise<TaskStats> {
  return mergeBuckets((await computeBuckets(teamId, now)).values(), now);
}

/**
 * Gives every task stored before tasks had stats buckets its bucket (run at start, before the
 * service answers); the teams touched are returned so their cached figures can be superseded.
 */
export async function assignStatsBuckets(batchSize = 1000): Promise<Set<string>> {
  const teams = new Set<string>();
  for (;;) {
    const batch = await Task.find({ statsBucket: { $exists: false } }, { _id: 1, teamId: 1 })
      .limit(batchSize)
      .lean();
    if (batch.length === 0) return teams;
    await Task.bulkWrite(
      batch.map((task) => ({
        updateOne: {
          filter: { _id: task._id, statsBucket: { $exists: false } },
          update: { $set: { statsBucket: statsBucketOf(String(task._id)) } },
          timestamps: false,
        },
      })),
    );
    for (const task of batch) teams.add(task.teamId);
  }
}
