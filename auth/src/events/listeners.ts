import { replicaListener, type EventData, type Listener } from '@taskforge/common';
import { Membership, membershipId, Team } from '../models/team-roles';

type MemberEvent = EventData<'member.added'>;

const membership = (active: boolean) => (data: MemberEvent) => ({
  teamId: data.teamId,
  userId: data.userId,
  role: data.role,
  active,
});
const byMembership = { id: (data: MemberEvent) => membershipId(data.teamId, data.userId) };

/**
 * Every listener of the auth service, run on its durable consumer `auth`: its copy of the teams'
 * names and roles. A deleted team has no admin to lose; its memberships may stay as they were.
 */
export function authListeners(): Listener[] {
  return [
    replicaListener('team.created', Team, (data) => ({ name: data.name, deleted: false })),
    replicaListener('team.updated', Team, (data) => ({ name: data.name })),
    replicaListener('team.deleted', Team, () => ({ deleted: true })),
    // The three member events differ only in whether the membership is active afterwards.
    replicaListener('member.added', Membership, membership(true), byMembership),
    replicaListener('member.updated', Membership, membership(true), byMembership),
    replicaListener('member.removed', Membership, membership(false), byMembership),
  ];
}
