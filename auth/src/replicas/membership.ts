import {
  membershipId,
  membershipReplicaSchema,
  replicaListener,
  type EventData,
  type MembershipReplica,
} from '@taskforge/common';
import mongoose from 'mongoose';
import { Team } from './team';

/*
 * What auth knows of teams' members: who holds which role, replicated from `member.*` (the teams'
 * names are in team.ts), so deleting an account can refuse a last admin at once without asking
 * teams. The replica can lag teams by an event's trip; teams settles the rare account deleted
 * meanwhile (see its user.deleted listener).
 */

/** One user's role in one team, replicated from `member.*` (see common's schema). */
const membershipSchema = membershipReplicaSchema();
membershipSchema.index({ userId: 1, role: 1 });
membershipSchema.index({ teamId: 1, role: 1 });

export const Membership = mongoose.model<MembershipReplica>('Membership', membershipSchema);

type MemberEvent = EventData<'member.added'>;

const membership = (active: boolean) => (data: MemberEvent) => ({
  teamId: data.teamId,
  userId: data.userId,
  role: data.role,
  active,
});
const byMembership = { id: (data: MemberEvent) => membershipId(data.teamId, data.userId) };

// The three member events differ only in whether the membership is active afterwards.
export const membershipReplicaListeners = [
  replicaListener('member.added', Membership, membership(true), byMembership),
  replicaListener('member.updated', Membership, membership(true), byMembership),
  replicaListener('member.removed', Membership, membership(false), byMembership),
];

/** The names of the teams (not deleted) that would be left without an admin without this user. */
export async function teamsOnlyAdministeredBy(userId: string): Promise<string[]> {
  const adminOf = await Membership.find({ userId, role: 'admin', active: true }, { teamId: 1 })
    .lean()
    .then((rows) => rows.map((row) => row.teamId));
  if (adminOf.length === 0) return [];
  const [otherAdmins, deleted, teams] = await Promise.all([
    Membership.find(
      { teamId: { $in: adminOf }, role: 'admin', active: true, userId: { $ne: userId } },
      { teamId: 1 },
    ).lean(),
    Team.find({ _id: { $in: adminOf }, deleted: true }, { _id: 1 }).lean(),
    Team.find({ _id: { $in: adminOf } }, { name: 1 }).lean(),
  ]);
  const settled = new Set([...otherAdmins.map((row) => row.teamId), ...deleted.map((t) => t._id)]);
  const names = new Map(teams.map((team) => [team._id, team.name]));
  return adminOf
    .filter((teamId) => !settled.has(teamId))
    .map((teamId) => names.get(teamId) ?? 'a team not named yet')
    .sort((a, b) => a.localeCompare(b));
}
