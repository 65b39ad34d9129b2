import { replicaListener, type Listener } from '@taskforge/common';
import mongoose, { Schema } from 'mongoose';

/** A team's name (for texts) and whether it was deleted (which revokes every membership). */
export interface TeamReplicaAttrs {
  _id: string;
  version: number;
  name: string;
  deleted: boolean;
}

const teamSchema = new Schema<TeamReplicaAttrs>(
  {
    _id: { type: String, required: true },
    version: { type: Number, required: true },
    name: { type: String, required: true },
    deleted: { type: Boolean, default: false },
  },
  { versionKey: false },
);

export const TeamReplica = mongoose.model<TeamReplicaAttrs>('Team', teamSchema);

export const teamReplicaListeners: Listener[] = [
  replicaListener('team.created', TeamReplica, (data) => ({ name: data.name, deleted: false })),
  replicaListener('team.updated', TeamReplica, (data) => ({ name: data.name })),
  // A deleted team revokes every membership in it: the membership check reads the team's flag,
  // so the member rows keep their own version sequence for a team that is never coming back.
  replicaListener('team.deleted', TeamReplica, () => ({ deleted: true })),
];
