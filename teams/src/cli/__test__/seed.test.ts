import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import request from 'supertest';
import { rowsOf } from '../../test/factories';
import { setupTeamsTest, type TeamsTestContext } from '../../test/setup';
import { signinCookie } from '@taskforge/common/testing';
import { DEMO_TEAM_NAME, DEMO_USERS } from '../seed';

const run = promisify(execFile);
let ctx: TeamsTestContext;

beforeAll(async () => {
  ctx = await setupTeamsTest();
});
afterAll(() => ctx.close());

const seedCommand = () =>
  run(process.execPath, ['--import', 'tsx', 'src/cli/seed.ts'], {
    cwd: resolve(__dirname, '..', '..', '..'),
    env: { ...process.env, DATABASE_URL: ctx.postgres.url, NODE_ENV: 'test' },
  });

describe('npm run seed', () => {
  it('puts demo users in the directory and a team with one member of each role, once', async () => {
    await seedCommand();
    await seedCommand();

    expect(await rowsOf(ctx.pool, 'SELECT id, email, version FROM users ORDER BY id')).toEqual(
      DEMO_USERS.map(({ id, email }) => ({ id, email, version: 0 })),
    );
    const teams = await rowsOf<{ id: string }>(ctx.pool, 'SELECT id FROM teams WHERE name = $1', [
      DEMO_TEAM_NAME,
    ]);
    expect(teams).toHaveLength(1);

    // The owner sees it through the API like any team, with its members.
    const [owner] = DEMO_USERS;
    const { cookie } = signinCookie({ id: owner.id, email: owner.email });
    const members = await request(ctx.app)
      .get(`/api/teams/${teams[0]!.id}/members`)
      .set('Cookie', cookie)
      .expect(200);
    expect(members.body.map((m: { email: string; role: string }) => [m.email, m.role])).toEqual(
      DEMO_USERS.map((user) => [user.email, user.role]),
    );

    // Its events wait in the outbox for the service's relay.
    const subjects = await rowsOf<{ subject: string }>(
      ctx.pool,
      'SELECT subject FROM outbox ORDER BY seq',
    );
    expect(subjects.map((row) => row.subject)).toEqual([
      'team.created',
      'member.added',
      'member.added',
      'member.added',
    ]);
  });
});
