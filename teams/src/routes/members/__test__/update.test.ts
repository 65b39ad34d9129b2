import request from 'supertest';
import {
  addMember,
  directoryUser,
  grantToMembers,
  memberEvents,
  rowsOf,
  teamWithRoles,
} from '../../../test/factories';
import { MEMBER_PATH, memberRequests } from '../../../test/members';
import { expectDocumented } from '../../../test/openapi';
import { setupTeamsTest, type TeamsTestContext } from '../../../test/setup';

let ctx: TeamsTestContext;

beforeAll(async () => {
  ctx = await setupTeamsTest();
});
beforeEach(() => ctx.reset());
afterAll(() => ctx.close());

const { patch } = memberRequests(() => ctx.app);

const roleOf = async (teamId: string, userId: string) =>
  (
    await rowsOf<{ role: string; version: number }>(
      ctx.pool,
      'SELECT role, version FROM team_memberships WHERE team_id = $1 AND user_id = $2',
      [teamId, userId],
    )
  )[0];

describe('PATCH /api/teams/:id/members/:userId', () => {
  it('changes the role: 200, version + 1, member.updated with the previous role', async () => {
    const { team, admin, guest } = await teamWithRoles(ctx.app, ctx.pool);

    const res = await patch(team.id, guest.id, { role: 'member' }, admin);

    expect(res.status).toBe(200);
    expectDocumented('patch', MEMBER_PATH, res);
    expect(res.body).toMatchObject({
      userId: guest.id,
      role: 'member',
      version: 1,
      email: guest.email,
    });
    expect(await roleOf(team.id, guest.id)).toEqual({ role: 'member', version: 1 });
    const events = await memberEvents(ctx.natsUrl, team.id, guest.id, 2);
    expect(events[1]?.subject).toBe('member.updated');
    expect(events[1]?.data).toEqual({
      teamId: team.id,
      userId: guest.id,
      role: 'member',
      version: 1,
      previousRole: 'guest',
      previous: { role: 'guest' },
    });
  });

  it('promotes to admin and lets the old admin step down afterwards', async () => {
    const { team, admin, member } = await teamWithRoles(ctx.app, ctx.pool);
    await patch(team.id, member.id, { role: 'admin' }, admin).expect(200);
    const res = await patch(team.id, admin.id, { role: 'member' }, admin).expect(200);
    expect(res.body).toMatchObject({ role: 'member', version: 1 });
  });

  it('writes nothing when the member already has that role', async () => {
    const { team, admin, guest } = await teamWithRoles(ctx.app, ctx.pool);
    const res = await patch(team.id, guest.id, { role: 'guest' }, admin).expect(200);
    expect(res.body.version).toBe(0);
    expect(await rowsOf(ctx.pool, "SELECT 1 FROM outbox WHERE subject = 'member.updated'")).toEqual(
      [],
    );
  });

  it('returns 409 when the last admin would be demoted, and changes nothing', async () => {
    const { team, admin } = await teamWithRoles(ctx.app, ctx.pool);
    const res = await patch(team.id, admin.id, { role: 'member' }, admin);
    expect(res.status).toBe(409);
    expectDocumented('patch', MEMBER_PATH, res);
    expect(res.body).toEqual({ errors: [{ message: 'A team must keep at least one admin' }] });
    expect(await roleOf(team.id, admin.id)).toEqual({ role: 'admin', version: 0 });
  });

  it('returns 403 to members without member.manage', async () => {
    const { team, member, guest } = await teamWithRoles(ctx.app, ctx.pool);
    const res = await patch(team.id, guest.id, { role: 'member' }, member);
    expect(res.status).toBe(403);
    expectDocumented('patch', MEMBER_PATH, res);
    expect(await roleOf(team.id, guest.id)).toEqual({ role: 'guest', version: 0 });
  });

  it('lets a member with member.manage change guests, but not grant or revoke admin', async () => {
    const { team, admin, member, guest } = await teamWithRoles(ctx.app, ctx.pool);
    await grantToMembers(ctx.app, team.id, admin, 'member.manage');

    await patch(team.id, guest.id, { role: 'member' }, member).expect(200);
    const promote = await patch(team.id, guest.id, { role: 'admin' }, member);
    expect(promote.status).toBe(403);
    expect(promote.body).toEqual({
      errors: [{ message: 'Only admins can grant, revoke or remove the admin role' }],
    });
    const demote = await patch(team.id, admin.id, { role: 'guest' }, member);
    expect(demote.status).toBe(403);
    expect(await roleOf(team.id, admin.id)).toEqual({ role: 'admin', version: 0 });
  });

  it('returns 404 for someone who is not (or no longer) a member, or a malformed user id', async () => {
    const { team, admin, member, outsider } = await teamWithRoles(ctx.app, ctx.pool);
    await request(ctx.app)
      .delete(`/api/teams/${team.id}/members/${member.id}`)
      .set('Cookie', admin.cookie)
      .expect(204);
    for (const userId of [outsider.id, member.id, 'not%20an%20id']) {
      const res = await patch(team.id, userId, { role: 'guest' }, admin);
      expect(res.status).toBe(404);
      expectDocumented('patch', MEMBER_PATH, res);
      expect(res.body).toEqual({ errors: [{ message: 'Member not found' }] });
    }
  });

  it('returns 404 to a non-member and 401 when signed out', async () => {
    const { team, guest, outsider } = await teamWithRoles(ctx.app, ctx.pool);
    const hidden = await patch(team.id, guest.id, { role: 'member' }, outsider);
    expect(hidden.status).toBe(404);
    expect(hidden.body).toEqual({ errors: [{ message: 'Team not found' }] });
    const anonymous = await patch(team.id, guest.id, { role: 'member' });
    expect(anonymous.status).toBe(401);
    expectDocumented('patch', MEMBER_PATH, anonymous);
  });

  it.each([
    ['no role', {}, 'Role is required'],
    ['an unknown role', { role: 'owner' }, 'Role must be one of admin, member, guest'],
    ['a role list', { role: ['admin'] }, 'Role must be one of admin, member, guest'],
  ])('returns 400 for %s', async (_case, body, message) => {
    const { team, admin, guest } = await teamWithRoles(ctx.app, ctx.pool);
    const res = await patch(team.id, guest.id, body, admin);
    expect(res.status).toBe(400);
    expectDocumented('patch', MEMBER_PATH, res);
    expect(res.body.errors).toEqual([{ message, field: 'role' }]);
  });

  it('keeps one membership’s versions gapless under concurrent role changes', async () => {
    const { team, admin } = await teamWithRoles(ctx.app, ctx.pool);
    const target = await directoryUser(ctx.pool);
    await addMember(ctx.app, team.id, admin, target, 'guest');
    const roles = ['member', 'guest', 'member', 'guest', 'member', 'guest'] as const;

    const results = await Promise.all(
      roles.map((role) => patch(team.id, target.id, { role }, admin)),
    );

    expect(results.every((res) => res.status === 200)).toBe(true);
    const { version } = (await roleOf(team.id, target.id))!;
    const events = await memberEvents(ctx.natsUrl, team.id, target.id, version + 1);
    expect(events.map((e) => e.data.version)).toEqual([...Array(version + 1).keys()]);
    // Each event changed the role the one before it left.
    for (let i = 1; i < events.length; i += 1) {
      const data = events[i]!.data as { previousRole: string };
      expect(data.previousRole).toBe((events[i - 1]!.data as { role: string }).role);
    }
  });
});
