import request from 'supertest';
import {
  addMember,
  createTeam,
  directoryUser,
  signIn,
  teamWithRoles,
} from '../../../test/factories';
import { memberRequests, MEMBERS_PATH } from '../../../test/members';
import { expectDocumented } from '../../../test/openapi';
import { setupTeamsTest, type TeamsTestContext } from '../../../test/setup';

let ctx: TeamsTestContext;

beforeAll(async () => {
  ctx = await setupTeamsTest();
});
beforeEach(() => ctx.reset());
afterAll(() => ctx.close());

/** Join times one second apart in the given order, so the expected order is certain. */
async function spreadJoinTimes(teamId: string, userIds: string[]) {
  for (const [i, userId] of userIds.entries()) {
    await ctx.pool.query(
      'UPDATE team_memberships SET joined_at = $3 WHERE team_id = $1 AND user_id = $2',
      [teamId, userId, new Date(Date.UTC(2025, 0, 1, 0, 0, i))],
    );
  }
}

const { list } = memberRequests(() => ctx.app);

describe('GET /api/teams/:id/members', () => {
  it('lists current members in the order they joined, with what the directory knows', async () => {
    const founder = signIn(); // not in the directory yet
    const team = await createTeam(ctx.app, founder);
    const ada = await directoryUser(ctx.pool, { firstName: 'Ada', lastName: 'Lovelace' });
    const bob = await directoryUser(ctx.pool);
    // Adding needs the added user in the directory, not the admin who adds them.
    await addMember(ctx.app, team.id, founder, ada, 'guest');
    await addMember(ctx.app, team.id, founder, bob, 'member');
    await request(ctx.app)
      .delete(`/api/teams/${team.id}/members/${bob.id}`)
      .set('Cookie', founder.cookie)
      .expect(204);

    await spreadJoinTimes(team.id, [founder.id, ada.id]);

    const res = await list(team.id, ada);

    expect(res.status).toBe(200);
    expectDocumented('get', MEMBERS_PATH, res);
    expect(res.body).toEqual([
      {
        userId: founder.id,
        role: 'admin',
        joinedAt: expect.any(String),
        version: 0,
        email: null,
        firstName: null,
        lastName: null,
      },
      {
        userId: ada.id,
        role: 'guest',
        joinedAt: expect.any(String),
        version: 0,
        email: ada.email,
        firstName: 'Ada',
        lastName: 'Lovelace',
      },
    ]);
  });

  it('pages through the members with a cursor', async () => {
    const setupOrder = await teamWithRoles(ctx.app, ctx.pool);
    const { team, admin } = setupOrder;
    const more = [await directoryUser(ctx.pool), await directoryUser(ctx.pool)];
    for (const user of more) await addMember(ctx.app, team.id, admin, user);

    const order = [admin, setupOrder.member, setupOrder.guest, ...more].map((u) => u.id);
    await spreadJoinTimes(team.id, order);

    const first = await list(team.id, admin, '?limit=3').expect(200);
    expectDocumented('get', MEMBERS_PATH, first);
    expect(first.body).toHaveLength(3);
    const next = /^<([^>]+)>; rel="next"$/.exec(first.headers.link as string)![1]!;
    const second = await request(ctx.app).get(next).set('Cookie', admin.cookie).expect(200);
    expect(second.body).toHaveLength(2);
    expect(second.headers.link).toBeUndefined();
    const ids = [...first.body, ...second.body].map((m: { userId: string }) => m.userId);
    expect(ids).toEqual(order);
  });

  it('returns 404 to a non-member and 401 when signed out', async () => {
    const { team, outsider } = await teamWithRoles(ctx.app, ctx.pool);
    const hidden = await list(team.id, outsider);
    expect(hidden.status).toBe(404);
    expectDocumented('get', MEMBERS_PATH, hidden);
    const anonymous = await list(team.id);
    expect(anonymous.status).toBe(401);
    expectDocumented('get', MEMBERS_PATH, anonymous);
  });

  it('returns 400 on a bad limit or cursor', async () => {
    const { team, admin } = await teamWithRoles(ctx.app, ctx.pool);
    const res = await list(team.id, admin, '?limit=1000&cursor=zzz');
    expect(res.status).toBe(400);
    expectDocumented('get', MEMBERS_PATH, res);
    expect(res.body.errors).toEqual([
      { message: 'Limit must be an integer between 1 and 100', field: 'limit' },
      { message: 'Cursor is invalid', field: 'cursor' },
    ]);
  });
});
