import type { EventData } from '@taskforge/common';
import mongoose, { Schema } from 'mongoose';

/**
 * Users' display names and session versions, replicated from `user.*` (tasks needs no emails);
 * a session token older than the session version is refused (see common's `currentUser`).
 */
export interface UserReplica {
  _id: string;
  displayName: string;
  sessionVersion: number;
  version: number;
}

export const User = mongoose.model<UserReplica>(
  'User',
  new Schema<UserReplica>(
    {
      _id: { type: String, required: true },
      displayName: { type: String, required: true },
      sessionVersion: { type: Number, default: 0 },
      version: { type: Number, required: true },
    },
    { versionKey: false },
  ),
);

/** "First Last" when the profile has a name, else the part of the email before the `@`. */
export function displayNameOf(user: EventData<'user.updated'>): string {
  const name = [user.firstName, user.lastName]
    .filter((part): part is string => typeof part === 'string' && part.trim() !== '')
    .map((part) => part.trim())
    .join(' ');
  return name || (user.email.split('@')[0] ?? user.email);
}

/** What tasks keeps of a user from `user.created` / `user.updated`. */
export function userReplicaFields(user: EventData<'user.updated'>) {
  return { displayName: displayNameOf(user), sessionVersion: user.sessionVersion ?? 0 };
}
