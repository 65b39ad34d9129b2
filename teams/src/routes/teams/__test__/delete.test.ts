import { readEvents } from '@taskforge/common/testing';
import request from 'supertest';
import { DEFAULT_ROLE_PERMISSIONS } from '../../../models/teams';
import { rowsOf, setPermissions, teamWithRoles, type TestUser } from '../../../test/factories';
import { expectDocumented } from '../../../test/openapi';
import { setupTeamsTest, type TeamsTestContext } from '../../../test/setup';

let ctx: TeamsTestContext;

beforeAll(async () => {
  ctx = await setupTeamsTest();
});
beforeEach(() => ctx.reset());
afterAll(() => ctx.close());

const remove = (id: string, user?: TestUser) => {
  const req = request(ctx.app).delete(`/api/teams/${id}`);
  return user ? req.set('Cookie', user.cookie) : req;
};

const countRows = async (teamId: string) => ({
  teams: (await rowsOf(ctx.pool, 'SELECT 1 FROM teams WHERE id = $1', [teamId])).length,
  memberships: (
    await rowsOf(ctx.pool, 'SELECT 1 FROM team_memberships WHERE team_id = $1', [teamId])
  ).length,
  permissions: (
    await rowsOf(ctx.pool, 'SELECT 1 FROM role_permissions WHERE team_id = $1', [teamId])
  ).length,
});

describe('DELETE /api/teams/:id', () => {
  it('lets an admin delete the team with its memberships and permissions', async () => {
    const { team, admin, member } = await teamWithRoles(ctx.app, ctx.pool);
    const res = await remove(team.id, admin);
    expect(res.status).toBe(204);
    expectDocumented('delete', '/api/teams/{id}', res);
    expect(await countRows(team.id)).toEqual({ teams: 0, memberships: 0, permissions: 0 });
    await request(ctx.app).get(`/api/teams/${team.id}`).set('Cookie', member.cookie).expect(404);
    await remove(team.id, admin).expect(404);
  });

  it('publishes one team.deleted at the next team version, and no member.removed', async () => {
    const { team, admin } = await teamWithRoles(ctx.app, ctx.pool);
    await request(ctx.app)
      .patch(`/api/teams/${team.id}`)
      .set('Cookie', admin.cookie)
      .send({ name: 'Renamed' })
      .expect(200);
    await remove(team.id, admin).expect(204);

    const [deleted] = await ctx.eventsFor('team.deleted', team.id);
    expect(deleted?.data).toEqual({
      id: team.id,
      version: 2,
      name: 'Renamed',
      description: null,
      createdBy: admin.id,
    });
    expect(deleted?.metadata.actorId).toBe(admin.id);
    expect(await readEvents(ctx.natsUrl, 'member.removed')).toEqual([]);
  });

  it('returns 403 to a member or guest and deletes nothing', async () => {
    const { team, member, guest } = await teamWithRoles(ctx.app, ctx.pool);
    for (const user of [member, guest]) {
      const res = await remove(team.id, user);
      expect(res.status).toBe(403);
      expectDocumented('delete', '/api/teams/{id}', res);
      expect(res.body).toEqual({ errors: [{ message: 'Only admins can delete the team' }] });
    }
    expect(await countRows(team.id)).toEqual({ teams: 1, memberships: 3, permissions: 13 });
  });

  it('returns 403 to an admin once admins gave up team.delete (a guard against accidents)', async () => {
    const { team, admin } = await teamWithRoles(ctx.app, ctx.pool);
    await setPermissions(ctx.app, team.id, admin, {
      ...DEFAULT_ROLE_PERMISSIONS,
      admin: DEFAULT_ROLE_PERMISSIONS.admin.filter((p) => p !== 'team.delete'),
    });
    const res = await remove(team.id, admin);
    expect(res.status).toBe(403);
    expect(res.body).toEqual({
      errors: [{ message: 'You need the team.delete permission in this team' }],
    });
    expect((await countRows(team.id)).teams).toBe(1);
  });

  it('returns 404 to a non-member and 401 when signed out', async () => {
    const { team, outsider } = await teamWithRoles(ctx.app, ctx.pool);
    const hidden = await remove(team.id, outsider);
    expect(hidden.status).toBe(404);
    expectDocumented('delete', '/api/teams/{id}', hidden);
    const anonymous = await remove(team.id);
    expect(anonymous.status).toBe(401);
    expectDocumented('delete', '/api/teams/{id}', anonymous);
    expect((await countRows(team.id)).teams).toBe(1);
  });
});
