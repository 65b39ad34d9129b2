import { PERMISSIONS } from '@taskforge/common';
import request from 'supertest';
import { DEFAULT_ROLE_PERMISSIONS, type RolePermissions } from '../../../models/teams';
import { rowsOf, teamWithRoles, type TestUser } from '../../../test/factories';
import { expectDocumented } from '../../../test/openapi';
import { setupTeamsTest, type TeamsTestContext } from '../../../test/setup';

let ctx: TeamsTestContext;

beforeAll(async () => {
  ctx = await setupTeamsTest();
});
beforeEach(() => ctx.reset());
afterAll(() => ctx.close());

const PATH = '/api/teams/{id}/permissions';

const put = (teamId: string, body: unknown, user?: TestUser) => {
  const req = request(ctx.app).put(`/api/teams/${teamId}/permissions`);
  if (user) req.set('Cookie', user.cookie);
  return req.send(body as object);
};

const storedGrants = async (teamId: string) =>
  (
    await rowsOf<{ role: string; permission: string }>(
      ctx.pool,
      'SELECT role, permission FROM role_permissions WHERE team_id = $1 ORDER BY role, permission',
      [teamId],
    )
  ).map((row) => `${row.role}:${row.permission}`);

const NEW_TABLE: RolePermissions = {
  admin: ['member.manage', 'team.update', 'audit.read'],
  member: ['task.create', 'comment.create', 'audit.read'],
  guest: ['comment.create'],
};

describe('PUT /api/teams/:id/permissions', () => {
  it('replaces the table: 200, stored, team version + 1', async () => {
    const { team, admin } = await teamWithRoles(ctx.app, ctx.pool);

    const res = await put(team.id, { permissions: NEW_TABLE }, admin);

    expect(res.status).toBe(200);
    expectDocumented('put', PATH, res);
    // Catalogue order, whatever order the request used.
    expect(res.body).toEqual({
      teamId: team.id,
      version: 1,
      permissions: {
        admin: ['member.manage', 'team.update', 'audit.read'],
        member: ['task.create', 'comment.create', 'audit.read'],
        guest: ['comment.create'],
      },
    });
    expect(await storedGrants(team.id)).toEqual([
      'admin:audit.read',
      'admin:member.manage',
      'admin:team.update',
      'guest:comment.create',
      'member:audit.read',
      'member:comment.create',
      'member:task.create',
    ]);
    const [version] = await rowsOf(ctx.pool, 'SELECT version FROM teams WHERE id = $1', [team.id]);
    expect(version).toEqual({ version: 1 });
  });

  it('publishes team.updated with the whole new table and the previous one', async () => {
    const { team, admin } = await teamWithRoles(ctx.app, ctx.pool);
    await put(team.id, { permissions: NEW_TABLE }, admin).expect(200);
    const [updated] = await ctx.eventsFor('team.updated', team.id);
    expect(updated?.data).toEqual({
      id: team.id,
      version: 1,
      name: team.name,
      description: null,
      createdBy: admin.id,
      permissions: NEW_TABLE,
      previous: { permissions: DEFAULT_ROLE_PERMISSIONS },
    });
  });

  it('drops duplicates and writes nothing when the table is unchanged', async () => {
    const { team, admin } = await teamWithRoles(ctx.app, ctx.pool);
    const withDuplicates = {
      ...DEFAULT_ROLE_PERMISSIONS,
      member: [...DEFAULT_ROLE_PERMISSIONS.member].reverse().concat('task.create'),
    };
    const res = await put(team.id, { permissions: withDuplicates }, admin).expect(200);
    expect(res.body).toEqual({
      teamId: team.id,
      version: 0,
      permissions: DEFAULT_ROLE_PERMISSIONS,
    });
    expect(await rowsOf(ctx.pool, "SELECT 1 FROM outbox WHERE subject = 'team.updated'")).toEqual(
      [],
    );
  });

  it('changes what members may do at once', async () => {
    const { team, admin, member } = await teamWithRoles(ctx.app, ctx.pool);
    await request(ctx.app)
      .get(`/api/teams/${team.id}/audit`)
      .set('Cookie', member.cookie)
      .expect(403);
    await put(team.id, { permissions: NEW_TABLE }, admin).expect(200);
    await request(ctx.app)
      .get(`/api/teams/${team.id}/audit`)
      .set('Cookie', member.cookie)
      .expect(200);
  });

  it('returns 403 to members, even those who may manage members', async () => {
    const { team, admin, member } = await teamWithRoles(ctx.app, ctx.pool);
    await put(
      team.id,
      {
        permissions: {
          ...DEFAULT_ROLE_PERMISSIONS,
          member: [...DEFAULT_ROLE_PERMISSIONS.member, 'member.manage'],
        },
      },
      admin,
    ).expect(200);
    const everythingButDelete = PERMISSIONS.filter((p) => p !== 'team.delete');
    const res = await put(
      team.id,
      { permissions: { ...NEW_TABLE, member: everythingButDelete } },
      member,
    );
    expect(res.status).toBe(403);
    expectDocumented('put', PATH, res);
    expect(res.body).toEqual({ errors: [{ message: 'Only admins can change permissions' }] });
  });

  it('returns 404 to a non-member and 401 when signed out', async () => {
    const { team, outsider } = await teamWithRoles(ctx.app, ctx.pool);
    const hidden = await put(team.id, { permissions: NEW_TABLE }, outsider);
    expect(hidden.status).toBe(404);
    expectDocumented('put', PATH, hidden);
    const anonymous = await put(team.id, { permissions: NEW_TABLE });
    expect(anonymous.status).toBe(401);
    expectDocumented('put', PATH, anonymous);
  });

  it.each([
    ['no table', {}, 'permissions', 'Permissions must be an object with a list for each role'],
    [
      'a list as table',
      { permissions: ['task.create'] },
      'permissions',
      'Permissions must be an object with a list for each role',
    ],
    [
      'an unknown role',
      { permissions: { ...NEW_TABLE, owner: [] } },
      'permissions',
      'Permissions may only name the roles admin, member, guest',
    ],
    [
      'a missing role',
      { permissions: { admin: NEW_TABLE.admin, member: [] } },
      'permissions.guest',
      `Permissions of guest must be a list of: ${PERMISSIONS.join(', ')}`,
    ],
    [
      'an unknown permission',
      { permissions: { ...NEW_TABLE, guest: ['task.read'] } },
      'permissions.guest',
      `Permissions of guest must be a list of: ${PERMISSIONS.join(', ')}`,
    ],
    [
      'a permission that is not a string',
      { permissions: { ...NEW_TABLE, member: [1] } },
      'permissions.member',
      `Permissions of member must be a list of: ${PERMISSIONS.join(', ')}`,
    ],
    [
      'admins without member.manage',
      { permissions: { ...NEW_TABLE, admin: ['team.update'] } },
      'permissions.admin',
      'Admins always keep member.manage',
    ],
    [
      'team.delete for members',
      { permissions: { ...NEW_TABLE, member: ['team.delete'] } },
      'permissions.member',
      'team.delete can only be granted to admins',
    ],
    [
      'team.delete for guests',
      { permissions: { ...NEW_TABLE, guest: ['team.delete'] } },
      'permissions.guest',
      'team.delete can only be granted to admins',
    ],
  ])('returns 400 for %s and changes nothing', async (_case, body, field, message) => {
    const { team, admin } = await teamWithRoles(ctx.app, ctx.pool);
    const before = await storedGrants(team.id);
    const res = await put(team.id, body, admin);
    expect(res.status).toBe(400);
    expectDocumented('put', PATH, res);
    expect(res.body.errors).toContainEqual({ message, field });
    expect(await storedGrants(team.id)).toEqual(before);
  });
});
