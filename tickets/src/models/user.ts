import mongoose, { Schema } from 'mongoose';

/**
 * What tickets keeps of a user, from `user.*`: only the session version, so a session ended by
 * "sign out everywhere" or a password change is refused here too (see common's `currentUser`).
 */
export interface UserReplica {
  _id: string;
  sessionVersion: number;
  version: number;
}

export const User = mongoose.model<UserReplica>(
  'User',
  new Schema<UserReplica>(
    {
      _id: { type: String, required: true },
      sessionVersion: { type: Number, default: 0 },
      version: { type: Number, required: true },
    },
    { versionKey: false },
  ),
);
