import type { EventData } from '@taskforge/common';
import mongoose, { Schema } from 'mongoose';

/**
 * Users' display names and session versions, replicated from `user.*` (tasks needs no emails);
 * a session token older than the session version is refused (see common's `currentUser`).
 * `user.deleted` leaves a tombstone: `deleted: true` and no display name, at the event's version,
 * so a late `user.updated` is a duplicate to the version rule and cannot write the name back,
 * and `replicaSessionVersions` refuses every token of the account.
 */
export interface UserReplica {
  _id: string;
  /** Null on a tombstone. */
  displayName: string | null;
  sessionVersion: number;
  deleted: boolean;
  version: number;
}

export const User = mongoose.model<UserReplica>(
  'User',
  new Schema<UserReplica>(
    {
      _id: { type: String, required: true },
      displayName: {
        type: String,
        required(this: UserReplica) {
          return !this.deleted;
        },
      },
      sessionVersion: { type: Number, default: 0 },
      deleted: { type: Boolean, default: false },
      version: { type: Number, required: true },
    },
    { versionKey: false },
  ),
);

/**
 * What a deleted user is shown as wherever tasks would show their name (a mention's label): the
 * stand-in the client shows for someone the directory does not know (its `displayName`).
 */
export const UNKNOWN_USER = 'Unknown user';

/** What `user.deleted` leaves of the replica: the id, the session version and the version. */
export const USER_TOMBSTONE = { deleted: true, displayName: null } as const;

/** Of `ids`, the users whose account was deleted (an unknown id is not one of them). */
export async function findDeletedUsers(ids: readonly string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await User.find({ _id: { $in: ids }, deleted: true }, { _id: 1 }).lean();
  return new Set(rows.map((row) => row._id));
}

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
