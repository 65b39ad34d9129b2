import type { EventData } from '@taskforge/common';
import mongoose, { Schema } from 'mongoose';

/** Users' display names, replicated from `user.*` (tasks needs no emails). */
export interface UserReplica {
  _id: string;
  displayName: string;
  version: number;
}

export const User = mongoose.model<UserReplica>(
  'User',
  new Schema<UserReplica>(
    {
      _id: { type: String, required: true },
      displayName: { type: String, required: true },
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
