import { replicaListener, type EventData } from '@taskforge/common';
import mongoose, { Schema } from 'mongoose';

/**
 * What tickets keeps of a user, from `user.*`: only the session version, so a session ended by
 * "sign out everywhere" or a password change is refused here too (see common's `currentUser`),
 * and after `user.deleted` a tombstone (`deleted: true`) that refuses every token of the account.
 */
export interface UserReplica {
  _id: string;
  sessionVersion: number;
  deleted: boolean;
  version: number;
}

export const User = mongoose.model<UserReplica>(
  'User',
  new Schema<UserReplica>(
    {
      _id: { type: String, required: true },
      sessionVersion: { type: Number, default: 0 },
      deleted: { type: Boolean, default: false },
      version: { type: Number, required: true },
    },
    { versionKey: false },
  ),
);

const sessionVersion = (data: EventData<'user.updated'>) => ({
  sessionVersion: data.sessionVersion ?? 0,
});

/** The listeners that copy `user.*` into the replica; `user.deleted` does more (events/listeners/). */
export const userReplicaListeners = [
  replicaListener('user.created', User, sessionVersion),
  replicaListener('user.updated', User, sessionVersion),
];
