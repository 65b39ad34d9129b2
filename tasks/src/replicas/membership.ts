import {
  membershipId,
  membershipReplicaSchema,
  replicaListener,
  type EventData,
  type Listener,
  type MembershipReplica,
} from '@taskforge/common';
import mongoose from 'mongoose';

export { membershipId, type MembershipReplica } from '@taskforge/common';

/** One user's membership of one team, replicated from `member.*` (see common's schema). */
const membershipSchema = membershipReplicaSchema();
// `team.deleted` revokes every membership of the team; mentions resolve among a team's members.
membershipSchema.index({ teamId: 1, userId: 1 });

export const Membership = mongoose.model<MembershipReplica>('Membership', membershipSchema);

const byMembership = {
  id: (data: EventData<'member.updated'>) => membershipId(data.teamId, data.userId),
};

/** `member.added` checks the team first (a deleted team's stays out): see events/listeners/. */
export const membershipReplicaListeners: Listener[] = [
  replicaListener('member.updated', Membership, (data) => ({ role: data.role }), byMembership),
  replicaListener(
    'member.removed',
    Membership,
    (data) => ({ teamId: data.teamId, userId: data.userId, role: data.role, active: false }),
    byMembership,
  ),
];
