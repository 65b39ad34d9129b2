import request from 'supertest';
import { DEFAULT_ROLE_PERMISSIONS } from '../../../models/teams';
import { teamWithRoles } from '../../../test/factories';
import { expectDocumented } from '../../../test/openapi';
import { setupTeamsTest, type TeamsTestContext } from '../../../test/setup';

let ctx: TeamsTestContext;

beforeAll(async () => {
  ctx = await setupTeamsTest();
});
beforeEach(() => ctx.reset());
afterAll(() => ctx.close());

const PATH = '/api/teams/{id}/permissions';

describe('GET /api/teams/:id/permissions', () => {
  it('shows every role’s permissions to any member, guests included', async () => {
    const { team, guest } = await teamWithRoles(ctx.app, ctx.pool);
    const res = await request(ctx.app)
      .get(`/api/teams/${team.id}/permissions`)
      .set('Cookie', guest.cookie);
    expect(res.status).toBe(200);
    expectDocumented('get', PATH, res);
    expect(res.body).toEqual({
      teamId: team.id,
      version: 0,
      permissions: DEFAULT_ROLE_PERMISSIONS,
    });
  });

  it('returns 404 to a non-member and 401 when signed out', async () => {
    const { team, outsider } = await teamWithRoles(ctx.app, ctx.pool);
    const hidden = await request(ctx.app)
      .get(`/api/teams/${team.id}/permissions`)
      .set('Cookie', outsider.cookie);
    expect(hidden.status).toBe(404);
    expectDocumented('get', PATH, hidden);
    const anonymous = await request(ctx.app).get(`/api/teams/${team.id}/permissions`);
    expect(anonymous.status).toBe(401);
    expectDocumented('get', PATH, anonymous);
  });
});
