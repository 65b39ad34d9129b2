import type { Role } from '@taskforge/common';
import mongoose, { Schema } from 'mongoose';

/**
 * One user's membership of one team, replicated from `member.*`. The teams service bumps a
 * membership's version by one per event across added/updated/removed (a re-add continues the
 * count), so a removed row stays, inactive, for the next `member.added` to follow.
 */
export interface MembershipReplica {
  _id: string;
  teamId: string;
  userId: string;
  role: Role;
  active: boolean;
  version: number;
}

export function membershipId(teamId: string, userId: string): string {
  return `${teamId}:${userId}`;
}

const membershipSchema = new Schema<MembershipReplica>(
  {
    _id: { type: String, required: true },
    teamId: { type: String, required: true },
    userId: { type: String, required: true },
    role: { type: String, required: true },
    active: { type: Boolean, required: true },
    version: { type: Number, required: true },
  },
  { versionKey: false },
);
// `team.deleted` revokes every membership of the team; mentions resolve among a team's members.
membershipSchema.index({ teamId: 1, userId: 1 });

export const Membership = mongoose.model<MembershipReplica>('Membership', membershipSchema);
