import request from 'supertest';
import { addMember, createTeam, directoryUser, signIn } from '../../../test/factories';
import { expectDocumented } from '../../../test/openapi';
import { setupTeamsTest, type TeamsTestContext } from '../../../test/setup';
import { encodeTimeCursor } from '@taskforge/common';

let ctx: TeamsTestContext;

beforeAll(async () => {
  ctx = await setupTeamsTest();
});
beforeEach(() => ctx.reset());
afterAll(() => ctx.close());

const list = (cookie: string, query: Record<string, string> = {}) =>
  request(ctx.app).get('/api/teams').set('Cookie', cookie).query(query);

/** Gives the user's memberships distinct join times, oldest first, straight in the table. */
async function setJoinedAt(userId: string, teamIds: string[]) {
  for (const [i, teamId] of teamIds.entries()) {
    await ctx.pool.query(
      'UPDATE team_memberships SET joined_at = $3 WHERE team_id = $1 AND user_id = $2',
      [teamId, userId, new Date(Date.UTC(2025, 0, 1, 0, 0, i))],
    );
  }
}

describe('GET /api/teams', () => {
  it('lists only the teams I belong to, with my role, most recently joined first', async () => {
    const me = await directoryUser(ctx.pool);
    const other = await directoryUser(ctx.pool);
    const mine = await createTeam(ctx.app, me, { name: 'Mine' });
    const theirs = await createTeam(ctx.app, other, { name: 'Theirs' });
    const joined = await createTeam(ctx.app, other, { name: 'Joined' });
    await addMember(ctx.app, joined.id, other, me, 'guest');
    await setJoinedAt(me.id, [mine.id, joined.id]);

    const res = await list(me.cookie);

    expect(res.status).toBe(200);
    expectDocumented('get', '/api/teams', res);
    expect(res.body.map((t: { name: string; role: string }) => [t.name, t.role])).toEqual([
      ['Joined', 'guest'],
      ['Mine', 'admin'],
    ]);
    expect(res.body[0]).toEqual({
      id: joined.id,
      name: 'Joined',
      description: null,
      createdBy: other.id,
      createdAt: joined.createdAt,
      updatedAt: joined.updatedAt,
      version: 0,
      role: 'guest',
      joinedAt: '2025-01-01T00:00:01.000Z',
    });
    expect(res.body.map((t: { id: string }) => t.id)).not.toContain(theirs.id);
  });

  it('leaves out teams I was removed from', async () => {
    const admin = await directoryUser(ctx.pool);
    const me = await directoryUser(ctx.pool);
    const team = await createTeam(ctx.app, admin);
    await addMember(ctx.app, team.id, admin, me);
    await request(ctx.app)
      .delete(`/api/teams/${team.id}/members/${me.id}`)
      .set('Cookie', admin.cookie)
      .expect(204);

    const res = await list(me.cookie).expect(200);
    expect(res.body).toEqual([]);
  });

  it('pages through every team exactly once, following the Link header', async () => {
    const me = await directoryUser(ctx.pool);
    const teams = [];
    for (let i = 0; i < 7; i += 1) teams.push(await createTeam(ctx.app, me, { name: `T${i}` }));
    // Three share a join time: the team id breaks the tie.
    await setJoinedAt(
      me.id,
      teams.map((t) => t.id),
    );
    const tie = new Date(Date.UTC(2025, 0, 1, 0, 0, 3));
    await ctx.pool.query(
      'UPDATE team_memberships SET joined_at = $2 WHERE user_id = $1 AND team_id = ANY($3::uuid[])',
      [me.id, tie, [teams[2]!.id, teams[3]!.id, teams[4]!.id]],
    );

    const seen: string[] = [];
    const sizes: number[] = [];
    let res = await list(me.cookie, { limit: '3' }).expect(200);
    for (;;) {
      expectDocumented('get', '/api/teams', res);
      seen.push(...res.body.map((t: { id: string }) => t.id));
      sizes.push(res.body.length);
      const link = res.headers.link as string | undefined;
      if (!link) break;
      expect(res.headers['x-next-cursor']).toEqual(expect.any(String));
      const url = /^<([^>]+)>; rel="next"$/.exec(link)![1]!;
      expect(url).toContain('limit=3');
      res = await request(ctx.app).get(url).set('Cookie', me.cookie).expect(200);
    }
    expect(sizes).toEqual([3, 3, 1]);
    const tied = [teams[2]!.id, teams[3]!.id, teams[4]!.id].sort().reverse();
    expect(seen).toEqual([teams[6]!.id, teams[5]!.id, ...tied, teams[1]!.id, teams[0]!.id]);
  });

  it('returns an empty list to a user in no team', async () => {
    const res = await list(signIn().cookie).expect(200);
    expect(res.body).toEqual([]);
    expect(res.headers.link).toBeUndefined();
  });

  it('returns 401 when signed out', async () => {
    const res = await request(ctx.app).get('/api/teams');
    expect(res.status).toBe(401);
    expectDocumented('get', '/api/teams', res);
  });

  it.each([
    ['limit=0', 'limit'],
    ['limit=101', 'limit'],
    ['limit=abc', 'limit'],
    ['limit=1&limit=2', 'limit'],
    ['limit[gt]=1', 'limit'],
    ['cursor=nope', 'cursor'],
    [`cursor=${encodeTimeCursor({ at: new Date(), id: 'not-a-uuid' })}`, 'cursor'],
    ['cursor[a]=b', 'cursor'],
  ])('returns 400 on %s', async (query, field) => {
    const me = signIn();
    const res = await request(ctx.app).get(`/api/teams?${query}`).set('Cookie', me.cookie);
    expect(res.status).toBe(400);
    expectDocumented('get', '/api/teams', res);
    expect(res.body.errors).toEqual([{ message: expect.any(String), field }]);
  });
});
