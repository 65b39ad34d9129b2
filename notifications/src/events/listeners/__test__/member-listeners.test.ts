import { EVENT_STREAM } from '@taskforge/common';
import { currentMembers, Membership, membershipId } from '../../../replicas/membership';
import { Notification } from '../../../models/notification';
import { TeamReplica } from '../../../replicas/team';
import { buildTeam, buildUser, newId } from '../../../test/factories';
import { inboxOf } from '../../../test/inspect';
import { setupNotificationsTest, type NotificationsTestContext } from '../../../test/setup';

let ctx: NotificationsTestContext;

beforeAll(async () => {
  ctx = await setupNotificationsTest();
});
afterAll(() => ctx.close());

async function createTeam(name = 'Platform') {
  const team = buildTeam({ name });
  await ctx.publish('team.created', team, { actorId: team.createdBy });
  return { teamId: team.id, ownerId: team.createdBy };
}

describe('member.added / member.updated', () => {
  it('tells the new member, and then about a new role; the owner adding themselves hears nothing', async () => {
    const owner = buildUser({ firstName: 'Cy' });
    await ctx.publish('user.created', owner);
    const { teamId } = await createTeam('Platform');
    await ctx.publish(
      'member.added',
      { teamId, userId: owner.id, role: 'admin', version: 0 },
      { actorId: owner.id },
    );
    const userId = newId();
    await ctx.publish(
      'member.added',
      { teamId, userId, role: 'member', version: 0 },
      { actorId: owner.id },
    );
    await ctx.publish(
      'member.updated',
      { teamId, userId, role: 'admin', previousRole: 'member', version: 1 },
      { actorId: owner.id },
    );
    await ctx.settled();

    expect(await inboxOf(owner.id)).toEqual([]);
    const inbox = await inboxOf(userId);
    expect(inbox.map((n) => [n.kind, n.title, n.link])).toEqual([
      ['member.added', 'Cy added you to Platform as member', `/teams/${teamId}`],
      ['member.role_changed', 'Cy made you admin in Platform', `/teams/${teamId}`],
    ]);
    expect(await Membership.findById(membershipId(teamId, userId)).lean()).toMatchObject({
      role: 'admin',
      active: true,
      version: 1,
    });
  });

  it('waits for the team before it names it (member.added first)', async () => {
    const teamId = newId();
    const userId = newId();
    await ctx.publish('member.added', { teamId, userId, role: 'guest', version: 0 });
    await ctx.publish('team.created', buildTeam({ id: teamId, name: 'Late' }));
    await ctx.settled();
    expect((await inboxOf(userId)).map((n) => n.title)).toEqual([
      'Someone added you to Late as guest',
    ]);
  });

  it('follows remove and re-add by version, whatever order they arrive in', async () => {
    const { teamId } = await createTeam();
    const userId = newId();
    const member = { teamId, userId, role: 'member' as const };
    // Re-added (v2) and removed (v1) arrive before the first add (v0).
    const readded = await ctx.publish('member.added', { ...member, version: 2 });
    await ctx.publish('member.removed', { ...member, version: 1 });
    const added = await ctx.publish('member.added', { ...member, version: 0 });
    await ctx.settled();

    expect(await Membership.findById(membershipId(teamId, userId)).lean()).toMatchObject({
      version: 2,
      active: true,
    });
    expect(await Notification.countDocuments({ sourceEventId: added.id })).toBe(1);
    expect(await Notification.countDocuments({ sourceEventId: readded.id })).toBe(1);
    expect([...(await currentMembers(teamId, [userId]))]).toEqual([userId]);

    await ctx.publish('member.removed', { ...member, version: 3 });
    await ctx.settled();
    expect([...(await currentMembers(teamId, [userId]))]).toEqual([]);
  });

  it('revokes every membership of a deleted team', async () => {
    const { teamId } = await createTeam();
    const users = [newId(), newId()];
    for (const userId of users) {
      await ctx.publish('member.added', { teamId, userId, role: 'member', version: 0 });
    }
    await ctx.settled();
    expect((await currentMembers(teamId, users)).size).toBe(2);

    await ctx.publish('team.deleted', { id: teamId, version: 1, name: 'Platform' });
    await ctx.settled();
    expect(await TeamReplica.findById(teamId).lean()).toMatchObject({ deleted: true, version: 1 });
    expect((await currentMembers(teamId, users)).size).toBe(0);
  });

  it('terminates an event whose data breaks the catalogue, without a notification', async () => {
    const userId = newId();
    await ctx.bus.js.publish(
      'member.added',
      JSON.stringify({
        id: '3f1c2b9e-8a77-4d2a-9a51-5b2f7c9d0e11',
        subject: 'member.added',
        schemaVersion: 1,
        occurredAt: new Date().toISOString(),
        data: { teamId: 't', userId, role: 'owner', version: 0 },
        metadata: {},
      }),
    );
    await ctx.settled();
    expect(await inboxOf(userId)).toEqual([]);
    const info = await ctx.bus.jsm.consumers.info(EVENT_STREAM, 'notifications');
    expect(info.num_ack_pending).toBe(0);
  });
});
