import { TASK_STATUSES } from '@taskforge/common';
import { Redis } from 'ioredis';
import { Types } from 'mongoose';
import request from 'supertest';
import { statsBucketOf, Task } from '../../models/task';
import { createTask, createTeam, insertStoredTasks, type TestTeam } from '../../test/factories';
import { teamPerTest } from '../../test/team-fixture';
import { StatsCache } from '../stats-cache';
import { taskStats } from '../stats';

const given = teamPerTest({ relay: false });

const HOUR = 3_600_000;

/** A task written straight to the database, as a migration or another process would. */
const insertBehindTheService = (dueDate: Date | null = null) =>
  insertStoredTasks(given.team, [{ createdAt: new Date(), dueDate }]);

/** The team's stats as its member reads them (this test's team unless told). */
const stats = (of: TestTeam = given.team) =>
  request(given.app)
    .get('/api/tasks/stats')
    .query({ teamId: of.id })
    .set('Cookie', of.member.cookie)
    .expect(200);

/** A new task id whose stats bucket is not the given task's. */
function idOutsideBucketOf(taskId: string): string {
  for (;;) {
    const id = new Types.ObjectId().toString();
    if (statsBucketOf(id) !== statsBucketOf(taskId)) return id;
  }
}

describe('cached stats', () => {
  it("serves the cached figures until a write through the API supersedes its task's part", async () => {
    const written = await createTask(given.app, given.team);
    expect((await stats()).body.total).toBe(1);

    // Not written by the service, so nothing tells the cache: the figures stay as they were,
    // also after a write of a task of another bucket.
    await insertStoredTasks(given.team, [
      { createdAt: new Date(), id: idOutsideBucketOf(written.id) },
    ]);
    expect((await stats()).body.total).toBe(1);
    await request(given.app)
      .patch(`/api/tasks/${written.id}`)
      .set('Cookie', given.team.member.cookie)
      .send({ status: 'done' })
      .expect(200);
    const afterPatch = (await stats()).body;
    expect(afterPatch).toMatchObject({ total: 1, byStatus: { done: 1, todo: 0 } });
    expect(afterPatch.weekly.at(-1).completed).toBe(1);

    // Superseding the whole team brings in what changed behind the service's back.
    await new StatsCache(given.ctx.redis, given.ctx.redisPrefix, 600, given.ctx.logger).invalidate(
      given.team.id,
    );
    expect((await stats()).body).toMatchObject({ total: 2, byStatus: { done: 1, todo: 1 } });

    await request(given.app)
      .delete(`/api/tasks/${written.id}`)
      .set('Cookie', given.team.member.cookie)
      .expect(204);
    expect((await stats()).body).toMatchObject({ total: 1, byStatus: { done: 0 } });
  });

  it('recomputes only the part of the task written, and adds up the same figures', async () => {
    const now = Date.now();
    const tasks = Array.from({ length: 200 }, (_, i) => ({
      createdAt: new Date(now - i * HOUR),
      status: TASK_STATUSES[i % TASK_STATUSES.length],
      ...(i % 4 === 0 ? { cycleHours: i + 1 } : {}),
    }));
    await insertStoredTasks(given.team, tasks);
    const cached = (await stats()).body;
    expect(cached).toEqual(await taskStats(given.team.id, new Date()));

    const written = await createTask(given.app, given.team);
    const spy = jest.spyOn(Task, 'aggregate');
    let after: Record<string, unknown>;
    let reads: unknown[][];
    try {
      after = (await stats()).body;
      reads = [...(spy.mock.calls as unknown[][])];
    } finally {
      spy.mockRestore();
    }
    // Each of the aggregations reads only the written task's part; the sum is what a full
    // computation gives.
    expect(reads.length).toBeGreaterThan(0);
    for (const [pipeline] of reads) {
      const [first] = pipeline as Array<{ $match?: { statsBucket?: unknown } }>;
      expect(first?.$match?.statsBucket).toEqual({ $in: [statsBucketOf(written.id)] });
    }
    expect(after.total).toBe(201);
    expect(after).toEqual(await taskStats(given.team.id, new Date()));
  });

  it("keeps one team's writes from touching another team's cached figures", async () => {
    const other = await createTeam();
    await createTask(given.app, other);
    expect((await stats(other)).body.total).toBe(1);
    await createTask(given.app, given.team);
    expect((await stats()).body.total).toBe(1);
    expect((await stats(other)).body.total).toBe(1);
  });

  it('ends an entry when the next due date of an open task passes, with no write', async () => {
    const cache = new StatsCache(given.ctx.redis, given.ctx.redisPrefix, 600, given.ctx.logger);
    const now = new Date();
    await insertBehindTheService(new Date(now.getTime() + HOUR));

    expect((await cache.get(given.team.id, now)).overdue).toBe(0);
    expect((await cache.get(given.team.id, new Date(now.getTime() + HOUR / 2))).overdue).toBe(0);
    expect((await cache.get(given.team.id, new Date(now.getTime() + 2 * HOUR))).overdue).toBe(1);
  });

  it('computes the figures directly while Redis is unreachable', async () => {
    const down = new Redis({
      port: 1,
      lazyConnect: true,
      maxRetriesPerRequest: 0,
      enableOfflineQueue: false,
      retryStrategy: () => null,
    });
    down.on('error', () => undefined);
    const cache = new StatsCache(down, given.ctx.redisPrefix, 600, given.ctx.logger);
    await insertBehindTheService();
    await expect(cache.bump(given.team.id, 0)).resolves.toBeUndefined();
    await expect(cache.invalidate(given.team.id)).resolves.toBeUndefined();
    expect((await cache.get(given.team.id, new Date())).total).toBe(1);
    down.disconnect();
  });
});
