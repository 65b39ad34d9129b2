import { startPostgres, type TestPostgres } from '@taskforge/common/testing';
import {
  crashTestTimeoutMs,
  killConsumerDuringBurst,
  restartNatsDuringWrites,
} from '../support/scenarios';

/*
 * The long versions of the fault tests, for npm run chaos (not npm test): bigger bursts, more
 * kills and restarts, and teams' PostgreSQL outbox beside tickets' MongoDB one.
 */
let pg: TestPostgres;

beforeAll(async () => {
  pg = await startPostgres();
});
afterAll(async () => {
  await pg.stop();
});

it(
  'applies each of 1500 events exactly once through three SIGKILLs of the consumer',
  async () => {
    const burst = 1500;
    const result = await killConsumerDuringBurst({ burst, kills: 3 });

    expect(result.countsAtKill).toHaveLength(3);
    expect(result.perTask).toHaveLength(burst);
    expect(result.perTask.filter((group) => group.count !== 1)).toEqual([]);
    expect(result.replicaCount).toBe(burst);
  },
  crashTestTimeoutMs(3),
);

it('loses no event of either outbox through three nats-server restarts under 600 writes', async () => {
  const { acknowledged, published } = await restartNatsDuringWrites({
    writes: 600,
    restarts: 3,
    teams: true,
    teamsDatabaseUrl: pg.url,
  });
  expect(acknowledged.tickets.length + acknowledged.teams.length).toBe(600);
  expect([...published.tickets].sort()).toEqual([...acknowledged.tickets].sort());
  expect([...published.teams].sort()).toEqual([...acknowledged.teams].sort());
}, 600_000);
