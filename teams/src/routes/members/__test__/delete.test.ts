import request from 'supertest';
import { grantToMembers, memberEvents, rowsOf, teamWithRoles } from '../../../test/factories';
import { MEMBER_PATH, memberRequests } from '../../../test/members';
import { expectDocumented } from '../../../test/openapi';
import { setupTeamsTest, type TeamsTestContext } from '../../../test/setup';

let ctx: TeamsTestContext;

beforeAll(async () => {
  ctx = await setupTeamsTest();
});
beforeEach(() => ctx.reset());
afterAll(() => ctx.close());

const { remove } = memberRequests(() => ctx.app);

const membership = async (teamId: string, userId: string) =>
  (
    await rowsOf(
      ctx.pool,
      'SELECT role, version, removed_at IS NOT NULL AS removed FROM team_memberships WHERE team_id = $1 AND user_id = $2',
      [teamId, userId],
    )
  )[0];

describe('DELETE /api/teams/:id/members/:userId', () => {
  it('removes a member: 204, the row kept as removed at version + 1, member.removed published', async () => {
    const { team, admin, member } = await teamWithRoles(ctx.app, ctx.pool);

    const res = await remove(team.id, member.id, admin);

    expect(res.status).toBe(204);
    expectDocumented('delete', MEMBER_PATH, res);
    expect(await membership(team.id, member.id)).toEqual({
      role: 'member',
      version: 1,
      removed: true,
    });
    const events = await memberEvents(ctx.natsUrl, team.id, member.id, 2);
    expect(events[1]?.subject).toBe('member.removed');
    expect(events[1]?.data).toEqual({
      teamId: team.id,
      userId: member.id,
      role: 'member',
      version: 1,
    });
    await remove(team.id, member.id, admin).expect(404);
  });

  it('lets any member leave, without member.manage', async () => {
    const { team, member, guest } = await teamWithRoles(ctx.app, ctx.pool);
    await remove(team.id, guest.id, guest).expect(204);
    await remove(team.id, member.id, member).expect(204);
    expect(await membership(team.id, guest.id)).toMatchObject({ removed: true });
    await request(ctx.app).get(`/api/teams/${team.id}`).set('Cookie', guest.cookie).expect(404);
  });

  it('returns 409 when the last admin leaves, and lets them once another admin exists', async () => {
    const { team, admin, member } = await teamWithRoles(ctx.app, ctx.pool);
    const res = await remove(team.id, admin.id, admin);
    expect(res.status).toBe(409);
    expectDocumented('delete', MEMBER_PATH, res);
    expect(res.body).toEqual({ errors: [{ message: 'A team must keep at least one admin' }] });
    expect(await membership(team.id, admin.id)).toMatchObject({ removed: false });

    await request(ctx.app)
      .patch(`/api/teams/${team.id}/members/${member.id}`)
      .set('Cookie', admin.cookie)
      .send({ role: 'admin' })
      .expect(200);
    await remove(team.id, admin.id, admin).expect(204);
  });

  it('returns 403 when a member without member.manage removes someone else', async () => {
    const { team, member, guest } = await teamWithRoles(ctx.app, ctx.pool);
    const res = await remove(team.id, guest.id, member);
    expect(res.status).toBe(403);
    expectDocumented('delete', MEMBER_PATH, res);
    expect(await membership(team.id, guest.id)).toMatchObject({ removed: false });
  });

  it('returns 403 when a member with member.manage removes an admin', async () => {
    const { team, admin, member, guest } = await teamWithRoles(ctx.app, ctx.pool);
    await grantToMembers(ctx.app, team.id, admin, 'member.manage');
    await remove(team.id, guest.id, member).expect(204);
    const res = await remove(team.id, admin.id, member);
    expect(res.status).toBe(403);
    expect(await membership(team.id, admin.id)).toMatchObject({ removed: false });
  });

  it('returns 404 for a non-member target, 404 to a non-member caller, 401 when signed out', async () => {
    const { team, admin, guest, outsider } = await teamWithRoles(ctx.app, ctx.pool);
    const noSuchMember = await remove(team.id, outsider.id, admin);
    expect(noSuchMember.status).toBe(404);
    expectDocumented('delete', MEMBER_PATH, noSuchMember);
    expect(noSuchMember.body).toEqual({ errors: [{ message: 'Member not found' }] });
    const hidden = await remove(team.id, guest.id, outsider);
    expect(hidden.status).toBe(404);
    expect(hidden.body).toEqual({ errors: [{ message: 'Team not found' }] });
    const anonymous = await remove(team.id, guest.id);
    expect(anonymous.status).toBe(401);
    expectDocumented('delete', MEMBER_PATH, anonymous);
  });
});
