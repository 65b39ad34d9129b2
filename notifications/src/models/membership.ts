import type { Role } from '@taskforge/common';
import { ROLES } from '@taskforge/common';
import mongoose, { Schema } from 'mongoose';
import { TeamReplica } from './team';

/**
 * One row per (team, user), following `member.added|updated|removed`. The teams service raises a
 * membership's version by exactly one per event, removal and re-adding included, so a removed
 * member keeps the row with `active: false` and the version gate keeps working.
 */
export interface MembershipAttrs {
  _id: string;
  version: number;
  teamId: string;
  userId: string;
  role: Role;
  active: boolean;
}

const membershipSchema = new Schema<MembershipAttrs>(
  {
    _id: { type: String, required: true },
    version: { type: Number, required: true },
    teamId: { type: String, required: true },
    userId: { type: String, required: true },
    role: { type: String, enum: [...ROLES], required: true },
    active: { type: Boolean, required: true },
  },
  { versionKey: false },
);
membershipSchema.index({ teamId: 1, userId: 1 });

export const Membership = mongoose.model<MembershipAttrs>('Membership', membershipSchema);

export function membershipId(teamId: string, userId: string): string {
  return `${teamId}:${userId}`;
}

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
