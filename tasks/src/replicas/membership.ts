import { membershipReplicaSchema, type MembershipReplica } from '@taskforge/common';
import mongoose from 'mongoose';

export { membershipId, type MembershipReplica } from '@taskforge/common';

/** One user's membership of one team, replicated from `member.*` (see common's schema). */
const membershipSchema = membershipReplicaSchema();
// `team.deleted` revokes every membership of the team; mentions resolve among a team's members.
membershipSchema.index({ teamId: 1, userId: 1 });

export const Membership = mongoose.model<MembershipReplica>('Membership', membershipSchema);
