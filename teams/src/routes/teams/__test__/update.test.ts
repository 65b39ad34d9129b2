import { DEFAULT_ROLE_PERMISSIONS } from '../../../models/teams';
import request from 'supertest';
import { grantToMembers, rowsOf, teamWithRoles, type TestUser } from '../../../test/factories';
import { expectDocumented } from '../../../test/openapi';
import { setupTeamsTest, type TeamsTestContext } from '../../../test/setup';

let ctx: TeamsTestContext;

beforeAll(async () => {
  ctx = await setupTeamsTest();
});
beforeEach(() => ctx.reset());
afterAll(() => ctx.close());

const patch = (id: string, body: unknown, user?: TestUser) => {
  const req = request(ctx.app).patch(`/api/teams/${id}`);
  if (user) req.set('Cookie', user.cookie);
  return req.send(body as object);
};

const stored = (id: string) =>
  rowsOf(ctx.pool, 'SELECT name, description, version FROM teams WHERE id = $1', [id]);

describe('PATCH /api/teams/:id', () => {
  it('lets an admin rename the team: 200, version + 1, stored', async () => {
    const { team, admin } = await teamWithRoles(ctx.app, ctx.pool);
    const res = await patch(team.id, { name: ' Renamed ' }, admin);
    expect(res.status).toBe(200);
    expectDocumented('patch', '/api/teams/{id}', res);
    expect(res.body).toMatchObject({ id: team.id, name: 'Renamed', version: 1, role: 'admin' });
    expect(res.body.updatedAt >= team.updatedAt).toBe(true);
    expect(await stored(team.id)).toEqual([{ name: 'Renamed', description: null, version: 1 }]);
  });

  it('publishes team.updated per write with consecutive versions, the permissions and what changed', async () => {
    const { team, admin } = await teamWithRoles(ctx.app, ctx.pool);
    await patch(team.id, { name: 'Two' }, admin).expect(200);
    await patch(team.id, { description: 'About' }, admin).expect(200);

    const events = await ctx.eventsFor('team.updated', team.id, 2);
    expect(events.map((e) => e.data)).toEqual([
      {
        id: team.id,
        version: 1,
        name: 'Two',
        description: null,
        createdBy: admin.id,
        permissions: DEFAULT_ROLE_PERMISSIONS,
        previous: { name: team.name },
      },
      {
        id: team.id,
        version: 2,
        name: 'Two',
        description: 'About',
        createdBy: admin.id,
        permissions: DEFAULT_ROLE_PERMISSIONS,
        previous: { description: null },
      },
    ]);
    expect(events[0]?.metadata.actorId).toBe(admin.id);
  });

  it('clears the description with null and keeps the name', async () => {
    const { team, admin } = await teamWithRoles(ctx.app, ctx.pool);
    await patch(team.id, { description: 'Something' }, admin).expect(200);
    const res = await patch(team.id, { description: null }, admin).expect(200);
    expect(res.body).toMatchObject({ name: team.name, description: null, version: 2 });
  });

  it('writes nothing and publishes nothing when the values are already those', async () => {
    const { team, admin } = await teamWithRoles(ctx.app, ctx.pool);
    const res = await patch(team.id, { name: team.name, description: null }, admin).expect(200);
    expect(res.body.version).toBe(0);
    expect(await stored(team.id)).toEqual([{ name: team.name, description: null, version: 0 }]);
    expect(await rowsOf(ctx.pool, "SELECT id FROM outbox WHERE subject = 'team.updated'")).toEqual(
      [],
    );
  });

  it('returns 403 to a member or guest (no team.update) and changes nothing', async () => {
    const { team, member, guest } = await teamWithRoles(ctx.app, ctx.pool);
    for (const user of [member, guest]) {
      const res = await patch(team.id, { name: 'Hijacked' }, user);
      expect(res.status).toBe(403);
      expectDocumented('patch', '/api/teams/{id}', res);
      expect(res.body).toEqual({
        errors: [{ message: 'You need the team.update permission in this team' }],
      });
    }
    expect(await stored(team.id)).toEqual([{ name: team.name, description: null, version: 0 }]);
  });

  it('lets a member rename once admins grant members team.update', async () => {
    const { team, admin, member } = await teamWithRoles(ctx.app, ctx.pool);
    await grantToMembers(ctx.app, team.id, admin, 'team.update');
    const res = await patch(team.id, { name: 'By a member' }, member).expect(200);
    expect(res.body).toMatchObject({ name: 'By a member', version: 2, role: 'member' });
  });

  it('returns 404 to a non-member', async () => {
    const { team, outsider } = await teamWithRoles(ctx.app, ctx.pool);
    const res = await patch(team.id, { name: 'X' }, outsider);
    expect(res.status).toBe(404);
    expectDocumented('patch', '/api/teams/{id}', res);
  });

  it('returns 401 when signed out', async () => {
    const { team } = await teamWithRoles(ctx.app, ctx.pool);
    const res = await patch(team.id, { name: 'X' });
    expect(res.status).toBe(401);
    expectDocumented('patch', '/api/teams/{id}', res);
  });

  it.each([
    ['an empty body', {}, undefined, 'Give a name or a description to change'],
    ['only unknown fields', { version: 3 }, undefined, 'Give a name or a description to change'],
    ['a null name', { name: null }, 'name', 'Name must be a string'],
    ['a blank name', { name: ' ' }, 'name', 'Name must be 1 to 100 characters'],
    ['a 101-character name', { name: 'n'.repeat(101) }, 'name', 'Name must be 1 to 100 characters'],
    [
      'a list as description',
      { description: ['x'] },
      'description',
      'Description must be a string or null',
    ],
  ])('returns 400 for %s and changes nothing', async (_case, body, field, message) => {
    const { team, admin } = await teamWithRoles(ctx.app, ctx.pool);
    const res = await patch(team.id, body, admin);
    expect(res.status).toBe(400);
    expectDocumented('patch', '/api/teams/{id}', res);
    expect(res.body.errors).toEqual([field ? { message, field } : { message }]);
    expect(await stored(team.id)).toEqual([{ name: team.name, description: null, version: 0 }]);
  });
});
