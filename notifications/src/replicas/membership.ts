import {
  membershipId,
  membershipReplicaSchema,
  replicaListener,
  type EventData,
  type Listener,
  type MembershipReplica,
} from '@taskforge/common';
import mongoose from 'mongoose';
import { TeamReplica } from './team';

export { membershipId } from '@taskforge/common';

/** One row per (team, user), following `member.*` (see common's schema). */
export type MembershipAttrs = MembershipReplica;

const membershipSchema = membershipReplicaSchema();
membershipSchema.index({ teamId: 1, userId: 1 });

export const Membership = mongoose.model<MembershipAttrs>('Membership', membershipSchema);

/*
 * `member.added` and `member.updated` also tell the member (events/listeners/); a removal only
 * copies.
 */
export const membershipReplicaListeners: Listener[] = [
  // A removed member stops receiving the team's board changes from the next message on.
  replicaListener(
    'member.removed',
    Membership,
    (data: EventData<'member.removed'>) => ({ role: data.role, active: false }),
    { id: (data) => membershipId(data.teamId, data.userId) },
  ),
];

/** Of `userIds`, those who belong to the team right now (a deleted team has no members). */
export async function currentMembers(teamId: string, userIds: string[]): Promise<Set<string>> {
  if (userIds.length === 0) return new Set();
  const [deleted, rows] = await Promise.all([
    TeamReplica.exists({ _id: teamId, deleted: true }),
    Membership.find({ teamId, userId: { $in: userIds }, active: true }, { userId: 1 }).lean(),
  ]);
  if (deleted) return new Set();
  return new Set(rows.map((row) => row.userId));
}
