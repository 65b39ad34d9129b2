import request from 'supertest';
import {
  addMember,
  directoryUser,
  grantToMembers,
  memberEvents,
  rowsOf,
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

const { post } = memberRequests(() => ctx.app);

const membershipsOf = (teamId: string) =>
  rowsOf(
    ctx.pool,
    'SELECT user_id, role, version, removed_at IS NOT NULL AS removed FROM team_memberships WHERE team_id = $1 ORDER BY joined_at, user_id',
    [teamId],
  );

describe('POST /api/teams/:id/members', () => {
  it('adds someone from the directory by email, in any case: 201, stored, member.added at version 0', async () => {
    const { team, admin } = await teamWithRoles(ctx.app, ctx.pool);
    const newcomer = await directoryUser(ctx.pool, { firstName: 'Ada', lastName: 'Lovelace' });

    const res = await post(team.id, { email: newcomer.email.toUpperCase(), role: 'guest' }, admin);

    expect(res.status).toBe(201);
    expectDocumented('post', MEMBERS_PATH, res);
    expect(res.body).toEqual({
      userId: newcomer.id,
      role: 'guest',
      joinedAt: expect.any(String),
      version: 0,
      email: newcomer.email,
      firstName: 'Ada',
      lastName: 'Lovelace',
    });
    expect(
      await rowsOf(
        ctx.pool,
        'SELECT role, version, removed_at FROM team_memberships WHERE team_id = $1 AND user_id = $2',
        [team.id, newcomer.id],
      ),
    ).toEqual([{ role: 'guest', version: 0, removed_at: null }]);
    const [added] = await memberEvents(ctx.natsUrl, team.id, newcomer.id, 1);
    expect(added?.subject).toBe('member.added');
    expect(added?.data).toEqual({
      teamId: team.id,
      userId: newcomer.id,
      role: 'guest',
      version: 0,
    });
    expect(added?.metadata.actorId).toBe(admin.id);
  });

  it('adds by user id, as a member when no role is given', async () => {
    const { team, admin } = await teamWithRoles(ctx.app, ctx.pool);
    const newcomer = await directoryUser(ctx.pool);
    const res = await post(team.id, { userId: newcomer.id }, admin).expect(201);
    expect(res.body).toMatchObject({ userId: newcomer.id, role: 'member', version: 0 });
  });

  it('answers 404 "No user with that email" for an address the directory does not know', async () => {
    const { team, admin } = await teamWithRoles(ctx.app, ctx.pool);
    const res = await post(team.id, { email: 'nobody@example.test' }, admin);
    expect(res.status).toBe(404);
    expectDocumented('post', MEMBERS_PATH, res);
    expect(res.body).toEqual({ errors: [{ message: 'No user with that email', field: 'email' }] });
    expect(await membershipsOf(team.id)).toHaveLength(3);
  });

  it('answers 404 "No user with that id" for a signed-up user whose event has not arrived', async () => {
    const { team, admin } = await teamWithRoles(ctx.app, ctx.pool);
    const res = await post(team.id, { userId: signIn().id }, admin);
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ errors: [{ message: 'No user with that id', field: 'userId' }] });
  });

  it('answers 409 for someone who is already a member, and writes nothing', async () => {
    const { team, admin, guest } = await teamWithRoles(ctx.app, ctx.pool);
    const res = await post(team.id, { userId: guest.id, role: 'admin' }, admin);
    expect(res.status).toBe(409);
    expectDocumented('post', MEMBERS_PATH, res);
    expect(res.body).toEqual({ errors: [{ message: 'Already a member of this team' }] });
    const outbox = await rowsOf(ctx.pool, "SELECT id FROM outbox WHERE subject = 'member.added'");
    expect(outbox).toHaveLength(3);
  });

  it('adds a removed member back on the next version: added 0, removed 1, added 2', async () => {
    const { team, admin, member } = await teamWithRoles(ctx.app, ctx.pool);
    await request(ctx.app)
      .delete(`/api/teams/${team.id}/members/${member.id}`)
      .set('Cookie', admin.cookie)
      .expect(204);

    const res = await post(team.id, { userId: member.id, role: 'guest' }, admin).expect(201);
    expect(res.body).toMatchObject({ role: 'guest', version: 2 });

    const events = await memberEvents(ctx.natsUrl, team.id, member.id, 3);
    expect(
      events.map((e) => [e.subject, e.data.version, (e.data as { role: string }).role]),
    ).toEqual([
      ['member.added', 0, 'member'],
      ['member.removed', 1, 'member'],
      ['member.added', 2, 'guest'],
    ]);
    await request(ctx.app).get(`/api/teams/${team.id}`).set('Cookie', member.cookie).expect(200);
  });

  it('returns 403 to a member or guest without member.manage, and writes nothing', async () => {
    const { team, member, guest } = await teamWithRoles(ctx.app, ctx.pool);
    const newcomer = await directoryUser(ctx.pool);
    for (const user of [member, guest]) {
      const res = await post(team.id, { userId: newcomer.id }, user);
      expect(res.status).toBe(403);
      expectDocumented('post', MEMBERS_PATH, res);
      expect(res.body).toEqual({
        errors: [{ message: 'You need the member.manage permission in this team' }],
      });
    }
    expect(await membershipsOf(team.id)).toHaveLength(3);
  });

  it('lets members with member.manage add members and guests, but not admins', async () => {
    const { team, admin, member } = await teamWithRoles(ctx.app, ctx.pool);
    await grantToMembers(ctx.app, team.id, admin, 'member.manage');
    const [guestToBe, adminToBe] = [await directoryUser(ctx.pool), await directoryUser(ctx.pool)];

    await addMember(ctx.app, team.id, member, guestToBe, 'guest');
    const res = await post(team.id, { userId: adminToBe.id, role: 'admin' }, member);
    expect(res.status).toBe(403);
    expect(res.body).toEqual({
      errors: [{ message: 'Only admins can grant, revoke or remove the admin role' }],
    });
  });

  it('returns 404 to a non-member before looking anyone up, and 401 when signed out', async () => {
    const { team, outsider } = await teamWithRoles(ctx.app, ctx.pool);
    const hidden = await post(team.id, { email: 'nobody@example.test' }, outsider);
    expect(hidden.status).toBe(404);
    expect(hidden.body).toEqual({ errors: [{ message: 'Team not found' }] });
    const anonymous = await post(team.id, { email: 'nobody@example.test' });
    expect(anonymous.status).toBe(401);
    expectDocumented('post', MEMBERS_PATH, anonymous);
  });

  it.each([
    ['neither email nor userId', { role: 'member' }, undefined, 'Give either email or userId'],
    [
      'both email and userId',
      { email: 'a@b.test', userId: 'abc' },
      undefined,
      'Give either email or userId',
    ],
    ['an invalid email', { email: 'not-an-email' }, 'email', 'Email must be valid'],
    ['an email that is not a string', { email: ['a@b.test'] }, 'email', 'Email must be a string'],
    ['a malformed userId', { userId: 'x y' }, 'userId', 'userId must be a user id'],
    [
      'an unknown role',
      { email: 'a@b.test', role: 'owner' },
      'role',
      'Role must be one of admin, member, guest',
    ],
  ])('returns 400 for %s', async (_case, body, field, message) => {
    const { team, admin } = await teamWithRoles(ctx.app, ctx.pool);
    const res = await post(team.id, body, admin);
    expect(res.status).toBe(400);
    expectDocumented('post', MEMBERS_PATH, res);
    expect(res.body.errors).toContainEqual(field ? { message, field } : { message });
    expect(await membershipsOf(team.id)).toHaveLength(3);
  });
});
