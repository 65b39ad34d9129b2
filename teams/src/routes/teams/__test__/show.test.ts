import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { createTeam, directoryUser, teamWithRoles } from '../../../test/factories';
import { expectDocumented } from '../../../test/openapi';
import { setupTeamsTest, type TeamsTestContext } from '../../../test/setup';

let ctx: TeamsTestContext;

beforeAll(async () => {
  ctx = await setupTeamsTest();
});
beforeEach(() => ctx.reset());
afterAll(() => ctx.close());

const show = (id: string, cookie?: string) => {
  const req = request(ctx.app).get(`/api/teams/${id}`);
  return cookie ? req.set('Cookie', cookie) : req;
};

describe('GET /api/teams/:id', () => {
  it('shows the team to a member, with their role and every role’s permissions', async () => {
    const { team, guest } = await teamWithRoles(ctx.app, ctx.pool);
    const res = await show(team.id, guest.cookie);
    expect(res.status).toBe(200);
    expectDocumented('get', '/api/teams/{id}', res);
    expect(res.body).toEqual({ ...team, role: 'guest' });
  });

  it('answers 404 to a non-member, exactly as for a team that does not exist', async () => {
    const { team, outsider } = await teamWithRoles(ctx.app, ctx.pool);
    const hidden = await show(team.id, outsider.cookie);
    const missing = await show(randomUUID(), outsider.cookie);
    expect(hidden.status).toBe(404);
    expectDocumented('get', '/api/teams/{id}', hidden);
    expect(hidden.body).toEqual({ errors: [{ message: 'Team not found' }] });
    expect(missing.status).toBe(404);
    expect(missing.body).toEqual(hidden.body);
  });

  it('answers 404 to a member who was removed', async () => {
    const { team, admin, member } = await teamWithRoles(ctx.app, ctx.pool);
    await request(ctx.app)
      .delete(`/api/teams/${team.id}/members/${member.id}`)
      .set('Cookie', admin.cookie)
      .expect(204);
    await show(team.id, member.cookie).expect(404);
  });

  it.each(['not-a-uuid', '1', "x' OR '1'='1"])(
    'answers 404 for the malformed id %s',
    async (id) => {
      const user = await directoryUser(ctx.pool);
      await createTeam(ctx.app, user);
      const res = await show(encodeURIComponent(id), user.cookie);
      expect(res.status).toBe(404);
      expectDocumented('get', '/api/teams/{id}', res);
    },
  );

  it('returns 401 when signed out', async () => {
    const user = await directoryUser(ctx.pool);
    const team = await createTeam(ctx.app, user);
    const res = await show(team.id);
    expect(res.status).toBe(401);
    expectDocumented('get', '/api/teams/{id}', res);
  });
});
