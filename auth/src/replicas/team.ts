import { replicaListener } from '@taskforge/common';
import mongoose, { Schema } from 'mongoose';

/*
 * What auth knows of teams: their names, replicated from `team.*`, to name the teams a last
 * admin would strand (see membership.ts).
 */

export interface TeamReplica {
  _id: string;
  name: string;
  deleted: boolean;
  version: number;
}

export const Team = mongoose.model<TeamReplica>(
  'Team',
  new Schema<TeamReplica>(
    {
      _id: { type: String, required: true },
      name: { type: String, required: true },
      deleted: { type: Boolean, default: false },
      version: { type: Number, required: true },
    },
    { versionKey: false },
  ),
);

/** A deleted team has no admin to lose; its memberships may stay as they were. */
export const teamReplicaListeners = [
  replicaListener('team.created', Team, (data) => ({ name: data.name, deleted: false })),
  replicaListener('team.updated', Team, (data) => ({ name: data.name })),
  replicaListener('team.deleted', Team, () => ({ deleted: true })),
];
