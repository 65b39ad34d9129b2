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
