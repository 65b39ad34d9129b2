import request from 'supertest';
import { rowsOf, teamWithRoles, type TestUser } from '../../../test/factories';
import { setupTeamsTest, type TeamsTestContext } from '../../../test/setup';

let ctx: TeamsTestContext;

beforeAll(async () => {
  ctx = await setupTeamsTest();
});
beforeEach(() => ctx.reset());
afterAll(() => ctx.close());

const ROUNDS = 5;

/** A team with two admins, `first` (its creator) and `second`. */
async function teamWithTwoAdmins() {
  const { team, admin: first, member: second } = await teamWithRoles(ctx.app, ctx.pool);
  await request(ctx.app)
    .patch(`/api/teams/${team.id}/members/${second.id}`)
    .set('Cookie', first.cookie)
    .send({ role: 'admin' })
    .expect(200);
  return { teamId: team.id, first, second };
}

const demote = (teamId: string, by: TestUser, target: TestUser) =>
  request(ctx.app)
    .patch(`/api/teams/${teamId}/members/${target.id}`)
    .set('Cookie', by.cookie)
    .send({ role: 'member' });

const remove = (teamId: string, by: TestUser, target: TestUser) =>
  request(ctx.app).delete(`/api/teams/${teamId}/members/${target.id}`).set('Cookie', by.cookie);

const admins = async (teamId: string) =>
  rowsOf(
    ctx.pool,
    "SELECT user_id FROM team_memberships WHERE team_id = $1 AND role = 'admin' AND removed_at IS NULL",
    [teamId],
  );

describe('the last admin, under concurrent requests', () => {
  // The loser's request is checked again once it holds the team lock, against what the winner
  // left: a demoted admin may no longer manage members (403), a removed one is no longer in the
  // team (404), and a last admin may not go (409).
  it.each([
    [
      'each demotes the other',
      403,
      (t: string, a: TestUser, b: TestUser) => [demote(t, a, b), demote(t, b, a)],
    ],
    [
      'each removes the other',
      404,
      (t: string, a: TestUser, b: TestUser) => [remove(t, a, b), remove(t, b, a)],
    ],
    [
      'both leave',
      409,
      (t: string, a: TestUser, b: TestUser) => [remove(t, a, a), remove(t, b, b)],
    ],
    [
      'one steps down while the other leaves',
      409,
      (t: string, a: TestUser, b: TestUser) => [demote(t, a, a), remove(t, b, b)],
    ],
  ])(
    'when two admins %s at once, one succeeds, the other gets %i, one admin remains',
    async (_case, loserStatus, act) => {
      for (let round = 0; round < ROUNDS; round += 1) {
        const { teamId, first, second } = await teamWithTwoAdmins();

        const statuses = (await Promise.all(act(teamId, first, second))).map((res) => res.status);

        expect(statuses.filter((status) => status === 200 || status === 204)).toHaveLength(1);
        expect(statuses.filter((status) => status === loserStatus)).toHaveLength(1);
        expect(await admins(teamId)).toHaveLength(1);
        // Only the write that succeeded left an event behind it.
        const events = await rowsOf(
          ctx.pool,
          "SELECT subject FROM outbox WHERE subject IN ('member.updated', 'member.removed') AND event->'data'->>'teamId' = $1",
          [teamId],
        );
        expect(events).toHaveLength(2); // the promotion of `second`, then the one winner
      }
    },
  );
});
