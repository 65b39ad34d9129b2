import { Redis } from 'ioredis';
import request from 'supertest';
import { createTask, createTeam, insertStoredTasks, type TestTeam } from '../../test/factories';
import { setupTasksTest, type TasksTestContext } from '../../test/setup';
import { mondayAfter, StatsCache } from '../stats-cache';

let ctx: TasksTestContext;
let team: TestTeam;

beforeAll(async () => {
  ctx = await setupTasksTest({ relay: false });
});
beforeEach(async () => {
  await ctx.reset();
  team = await createTeam();
});
afterAll(() => ctx.close());

const HOUR = 3_600_000;

/** A task written straight to the database, as a migration or another process would. */
const insertBehindTheService = (dueDate: Date | null = null) =>
  insertStoredTasks(team, [{ createdAt: new Date(), dueDate }]);

/** The team's stats as its member reads them (this test's team unless told). */
const stats = (of: TestTeam = team) =>
  request(ctx.app)
    .get('/api/tasks/stats')
    .query({ teamId: of.id })
    .set('Cookie', of.member.cookie)
    .expect(200);

describe('cached stats', () => {
  it('serves the cached figures until a write through the API supersedes them', async () => {
    await createTask(ctx.app, team);
    expect((await stats()).body.total).toBe(1);

    // Not written by the service, so nothing tells the cache: the figures stay as they were.
    await insertBehindTheService();
    expect((await stats()).body.total).toBe(1);

    // Any write of the team's tasks through the API starts a new generation.
    const written = await createTask(ctx.app, team);
    expect((await stats()).body.total).toBe(3);

    await request(ctx.app)
      .patch(`/api/tasks/${written.id}`)
      .set('Cookie', team.member.cookie)
      .send({ status: 'done' })
      .expect(200);
    const afterPatch = (await stats()).body;
    expect(afterPatch.byStatus.done).toBe(1);
    expect(afterPatch.weekly.at(-1).completed).toBe(1);

    await request(ctx.app)
      .delete(`/api/tasks/${written.id}`)
      .set('Cookie', team.member.cookie)
      .expect(204);
    expect((await stats()).body).toMatchObject({ total: 2, byStatus: { done: 0 } });
  });

  it("keeps one team's writes from touching another team's cached figures", async () => {
    const other = await createTeam();
    await createTask(ctx.app, other);
    expect((await stats(other)).body.total).toBe(1);
    await createTask(ctx.app, team);
    expect((await stats()).body.total).toBe(1);
    expect((await stats(other)).body.total).toBe(1);
  });

  it('ends an entry when the next due date of an open task passes, with no write', async () => {
    const cache = new StatsCache(ctx.redis, ctx.redisPrefix, 600, ctx.logger);
    const now = new Date();
    await insertBehindTheService(new Date(now.getTime() + HOUR));

    expect((await cache.get(team.id, now)).overdue).toBe(0);
    expect((await cache.get(team.id, new Date(now.getTime() + HOUR / 2))).overdue).toBe(0);
    expect((await cache.get(team.id, new Date(now.getTime() + 2 * HOUR))).overdue).toBe(1);
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
    const cache = new StatsCache(down, ctx.redisPrefix, 600, ctx.logger);
    await insertBehindTheService();
    await expect(cache.bump(team.id)).resolves.toBeUndefined();
    expect((await cache.get(team.id, new Date())).total).toBe(1);
    down.disconnect();
  });
});

describe('mondayAfter', () => {
  it('is 00:00 UTC of the next Monday, a full week ahead on a Monday', () => {
    expect(new Date(mondayAfter(new Date('2030-01-02T10:00:00Z'))).toISOString()).toBe(
      '2030-01-07T00:00:00.000Z',
    );
    expect(new Date(mondayAfter(new Date('2030-01-06T23:59:59Z'))).toISOString()).toBe(
      '2030-01-07T00:00:00.000Z',
    );
    expect(new Date(mondayAfter(new Date('2030-01-07T00:00:00Z'))).toISOString()).toBe(
      '2030-01-14T00:00:00.000Z',
    );
  });
});
