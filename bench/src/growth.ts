import mongoose from 'mongoose';
import {
  applyCompletion,
  PRIORITY_RANK,
  Task,
  weekOf,
  type TaskPriority,
} from '@taskforge/tasks/bench';
import { sequentialLatency } from './load';

export const GROWTH_SIZES = [1_000, 10_000, 100_000] as const;

/** One of these ends each growth title, in turn: a search for one finds a ninth of the team. */
const SEARCH_WORDS = [
  'amber',
  'birch',
  'cedar',
  'dune',
  'ember',
  'fjord',
  'grove',
  'heath',
  'inlet',
];

/** One client's latencies; `timedOut` requests gave no answer within the request timeout. */
export interface GrowthFigure {
  p50Ms: number;
  p99Ms: number;
  samples: number;
  timedOut: number;
}

export interface GrowthRow {
  tasks: number;
  list: GrowthFigure;
  filter: GrowthFigure;
  /** `q=` a word in one title of nine (11 %) at every size: read through the text index. */
  search?: GrowthFigure;
  /** `q=` words in no task: the text index finds none. */
  searchNone?: GrowthFigure;
  /** Every stats part computed (after the team's cached parts were superseded). */
  statsCold?: GrowthFigure;
  /** The first read after a task write: the written task's part computed, the others cached. */
  stats: GrowthFigure;
  /** Reads with no write between them: served from tasks' stats cache. */
  statsCached: GrowthFigure;
  update: GrowthFigure;
  insertSeconds: number;
}

const STATUSES = ['backlog', 'todo', 'in_progress', 'in_review', 'done'] as const;
const PRIORITIES = Object.keys(PRIORITY_RANK) as TaskPriority[];
const DAY_MS = 86_400_000;

/**
 * The documents tasks' POST /api/tasks would store, built with its own model and completion
 * rule, and inserted in bulk: 100k creates through HTTP would take most of the bench's time.
 * They carry no outbox, as a created task does once the relay published `task.created`; no
 * event is sent for them, so only tasks knows them (the growth team is not used elsewhere).
 */
function buildGrowthTask(teamId: string, creatorId: string, assignees: string[], i: number) {
  const now = Date.now();
  const createdAt = new Date(now - (i % 84) * DAY_MS - (i % 1000) * 1000);
  const status = STATUSES[i % STATUSES.length]!;
  const priority = PRIORITIES[(i >> 2) % PRIORITIES.length]!;
  const task = new Task({
    teamId,
    title: `Growth task ${i} ${SEARCH_WORDS[i % SEARCH_WORDS.length]}`,
    description: `Bulk-inserted by npm run bench (${i})`,
    status,
    priority,
    priorityRank: PRIORITY_RANK[priority],
    assigneeId: i % 4 === 0 ? null : assignees[i % assignees.length]!,
    creatorId,
    dueDate: i % 3 === 0 ? null : new Date(now + ((i % 60) - 30) * DAY_MS),
    tags: i % 5 === 0 ? ['backend'] : [],
    customFields: {},
    ticketId: null,
    position: i,
    createdAt,
    createdWeek: weekOf(createdAt),
  });
  // Done tasks were completed some days after they were created.
  applyCompletion(task, new Date(Math.min(now, createdAt.getTime() + (i % 9) * DAY_MS)));
  return task.toObject();
}

/** Inserts tasks `from`..`to - 1` of the growth team, validated by the model, in batches. */
export async function insertGrowthTasks(
  mongoUrl: string,
  team: { teamId: string; creatorId: string; assignees: string[] },
  from: number,
  to: number,
): Promise<number> {
  if (mongoose.connection.readyState !== 1) await mongoose.connect(mongoUrl);
  const start = performance.now();
  for (let offset = from; offset < to; offset += 1000) {
    const docs = [];
    for (let i = offset; i < Math.min(to, offset + 1000); i += 1) {
      docs.push(buildGrowthTask(team.teamId, team.creatorId, team.assignees, i));
    }
    // Through the model: its defaults, validation, version 0 and timestamps, as a save.
    await Task.insertMany(docs);
  }
  return (performance.now() - start) / 1000;
}

export async function measureGrowthRoutes(options: {
  tasksUrl: string;
  cookie: string;
  teamId: string;
  taskId: string;
  maxMs: number;
  timeoutMs: number;
  /** Supersedes the team's cached stats (all its parts). */
  invalidateStats: () => Promise<void>;
}): Promise<Omit<GrowthRow, 'tasks' | 'insertSeconds'>> {
  const get = (path: string) => (signal: AbortSignal) =>
    fetch(`${options.tasksUrl}${path}`, { headers: { cookie: options.cookie }, signal });
  const team = encodeURIComponent(options.teamId);
  const budget = { maxRequests: 40, maxMs: options.maxMs, timeoutMs: options.timeoutMs };
  const pick = (r: GrowthFigure) => ({
    p50Ms: r.p50Ms,
    p99Ms: r.p99Ms,
    samples: r.samples,
    timedOut: r.timedOut,
  });
  const list = await sequentialLatency(get(`/api/tasks?teamId=${team}`), budget);
  const filter = await sequentialLatency(
    get(`/api/tasks?teamId=${team}&status=todo&priority=high&sort=dueDate`),
    budget,
  );
  const search = await sequentialLatency(
    get(`/api/tasks?teamId=${team}&q=${SEARCH_WORDS[0]}`),
    budget,
  );
  const searchNone = await sequentialLatency(
    get(`/api/tasks?teamId=${team}&q=no%20such%20words`),
    budget,
  );
  let n = 0;
  const patch = (signal?: AbortSignal) => {
    n += 1;
    return fetch(`${options.tasksUrl}/api/tasks/${options.taskId}`, {
      signal,
      method: 'PATCH',
      headers: { cookie: options.cookie, 'content-type': 'application/json' },
      body: JSON.stringify({ title: `Growth update ${n}` }),
    });
  };
  const update = await sequentialLatency(patch, budget);
  // The growth set was inserted behind the service's back: superseding every cached part
  // before each read measures the whole computation; a write before each read, the part of
  // the task written.
  const statsCold = await sequentialLatency(get(`/api/tasks/stats?teamId=${team}`), {
    ...budget,
    prepare: options.invalidateStats,
  });
  const stats = await sequentialLatency(get(`/api/tasks/stats?teamId=${team}`), {
    ...budget,
    prepare: async () => {
      const res = await patch();
      await res.arrayBuffer();
      if (!res.ok) throw new Error(`growth stats: the write before the read got ${res.status}`);
    },
  });
  const statsCached = await sequentialLatency(get(`/api/tasks/stats?teamId=${team}`), budget);
  const all = { list, filter, search, searchNone, statsCold, stats, statsCached, update };
  for (const [name, r] of Object.entries(all)) {
    if (r.errors > 0) throw new Error(`growth ${name}: ${r.errors} requests failed`);
  }
  return {
    list: pick(list),
    filter: pick(filter),
    search: pick(search),
    searchNone: pick(searchNone),
    statsCold: pick(statsCold),
    stats: pick(stats),
    statsCached: pick(statsCached),
    update: pick(update),
  };
}
