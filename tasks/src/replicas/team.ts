import {
  PERMISSIONS,
  replicaListener,
  ROLES,
  type Listener,
  type Permission,
  type Role,
} from '@taskforge/common';
import mongoose, { Schema } from 'mongoose';

/** The part of a team tasks needs to authorize requests, replicated from `team.*`. */
export interface TeamReplica {
  _id: string;
  name: string;
  permissions: Record<Role, Permission[]>;
  deleted: boolean;
  version: number;
}

const permissionsSchema = new Schema<Record<Role, Permission[]>>(
  Object.fromEntries(ROLES.map((role) => [role, { type: [String], enum: PERMISSIONS }])),
  { _id: false },
);

export const Team = mongoose.model<TeamReplica>(
  'Team',
  new Schema<TeamReplica>(
    {
      _id: { type: String, required: true },
      name: { type: String, required: true },
      permissions: { type: permissionsSchema, required: true },
      deleted: { type: Boolean, default: false },
      version: { type: Number, required: true },
    },
    { versionKey: false },
  ),
);

/** `team.deleted` also revokes the team's memberships: see events/listeners/. */
export const teamReplicaListeners: Listener[] = [
  replicaListener('team.created', Team, (data) => ({
    name: data.name,
    permissions: data.permissions,
    deleted: false,
  })),
  replicaListener('team.updated', Team, (data) => ({
    name: data.name,
    permissions: data.permissions,
  })),
];
