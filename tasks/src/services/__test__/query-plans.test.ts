import { TASK_STATUSES } from '@taskforge/common';
import { Task } from '../../models/task';
import { createTeam, insertStoredTasks, newId, type TestTeam } from '../../test/factories';
import { setupTasksTest, type TasksTestContext } from '../../test/setup';
import type { PipelineStage } from 'mongoose';
import { bucketsAggregate, bucketsPipelines } from '../stats';
import { taskListQuery } from '../../contracts/tasks';
import { listPageQuery, SORT_FIELDS } from '../task-list';

/*
 * Every list, filter and stats query of tasks is answered from one of the model's indexes, on
 * the store the tests run (FerretDB + DocumentDB: a PostgreSQL plan; mongod: a winning plan):
 * the plan names an index other than `_id_` and scans no whole collection.
 */
let ctx: TasksTestContext;
let team: TestTeam;
const assigneeId = newId();

beforeAll(async () => {
  ctx = await setupTasksTest({ relay: false });
  await ctx.reset();
  team = await createTeam();
  await Task.init();
  // 20 teams of 300 tasks: the planner weighs an index against a scan on real numbers.
  const createdAt = new Date('2030-01-01T00:00:00Z');
  for (let t = 0; t < 20; t += 1) {
    const teamId = t === 0 ? team.id : newId();
    await insertStoredTasks(
      team,
      Array.from({ length: 300 }, (_, i) => ({
        teamId,
        createdAt: new Date(createdAt.getTime() + i * 3_600_000),
        status: TASK_STATUSES[i % TASK_STATUSES.length],
        assigneeId: i % 7 === 0 ? assigneeId : null,
        dueDate: i % 3 === 0 ? new Date(createdAt.getTime() + i * 7_200_000) : null,
        ...(i % 5 === 0 ? { cycleHours: i } : {}),
      })),
    );
  }
}, 60_000);
afterAll(() => ctx.close());

/** What a plan does, on either store: the indexes it reads, a whole-collection read, a sort. */
function planOf(explained: unknown): {
  indexes: string[];
  scansCollection: boolean;
  sorts: boolean;
} {
  const text = JSON.stringify(explained);
  const indexes = [...text.matchAll(/"(?:Index Name|indexName)":"([^"]+)"/g)].map((m) => m[1]!);
  return {
    indexes,
    scansCollection: /"Seq Scan"|"COLLSCAN"/.test(text),
    // DocumentDB: a Sort node (an Incremental Sort only orders ties of an ordered read);
    // mongod: a SORT stage.
    sorts: /"Node Type":"Sort"|"stage":"SORT"/.test(text),
  };
}

function expectIndexed(explained: unknown) {
  const plan = planOf(explained);
  expect(plan.scansCollection).toBe(false);
  expect(plan.indexes.filter((name) => name !== '_id_')).not.toEqual([]);
}

const LISTS: Array<[string, Record<string, string>]> = [
  ['the default list', {}],
  ...Object.keys(SORT_FIELDS).flatMap((field): Array<[string, Record<string, string>]> => [
    [`sorted by ${field}`, { sort: field }],
    [`sorted by -${field}`, { sort: `-${field}` }],
  ]),
  ['one status by position (the board)', { status: 'todo', sort: 'position' }],
  ['one assignee', { assigneeId }],
  ['a tag', { tag: 'release' }],
  ['due before a date', { dueBefore: '2030-01-10T00:00:00.000Z' }],
  ['a text search', { q: 'Task 1' }],
];

describe('the task list', () => {
  it.each(LISTS)('%s is served by an index', async (_name, params) => {
    const query = taskListQuery.parse({ teamId: team.id, ...params });
    const explained = await listPageQuery(query, team.member.id, new Date()).explain(
      'executionStats',
    );
    expectIndexed(explained);
    if (params.q) expect(planOf(explained).indexes).toEqual(['teamId_text']);
  });
});

describe('the stats', () => {
  const now = new Date();
  const CASES = Object.keys(bucketsPipelines(newId(), now)).flatMap((name) => [
    [`${name} of one part (after a write)`, name, [7]] as const,
    [`${name} of every part (cold)`, name, undefined] as const,
  ]);

  it.each(CASES)('%s is served by an index', async (_name, name, buckets) => {
    const pipelines = bucketsPipelines(team.id, now, buckets ? [...buckets] : undefined);
    const pipeline = pipelines[name as keyof typeof pipelines] as PipelineStage[];
    const explained = await bucketsAggregate(pipeline, buckets ? [...buckets] : undefined).explain(
      'executionStats',
    );
    expectIndexed(explained);
    if (buckets) expect(planOf(explained).indexes).toContain('teamId_1_statsBucket_1');
  });
});

describe('the plan check itself', () => {
  it('sees a whole-collection read where no index serves the filter', async () => {
    const plan = planOf(await Task.find({ title: 'Task 1' }).explain('executionStats'));
    expect(plan.scansCollection || plan.indexes.every((name) => name === '_id_')).toBe(true);
  });
});
