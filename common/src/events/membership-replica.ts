import { Schema } from 'mongoose';
import { ROLES, type Role } from './catalogue';

/**
 * One user's membership of one team, as every MongoDB service that follows `member.*` keeps it.
 * teams raises a membership's version by exactly one per event across added / updated / removed
 * (a re-add continues the count), so a removed member keeps the row, inactive, for the next
 * `member.added` to follow.
 */
export interface MembershipReplica {
  _id: string;
  teamId: string;
  userId: string;
  role: Role;
  active: boolean;
  version: number;
}

/** A membership's id in a replica: its team and its user. */
export function membershipId(teamId: string, userId: string): string {
  return `${teamId}:${userId}`;
}

/** The schema of a membership replica; each service adds the indexes its queries need. */
export function membershipReplicaSchema(): Schema<MembershipReplica> {
  return new Schema<MembershipReplica>(
    {
      _id: { type: String, required: true },
      teamId: { type: String, required: true },
      userId: { type: String, required: true },
      role: { type: String, enum: [...ROLES], required: true },
      active: { type: Boolean, required: true },
      version: { type: Number, required: true },
    },
    { versionKey: false },
  );
}
