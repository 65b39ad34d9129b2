import { displayName, replicaListener, type EventData, type Listener } from '@taskforge/common';
import mongoose, { Schema } from 'mongoose';

/**
 * Users' display names and session versions, replicated from `user.*` (tasks keeps no email
 * field: a user without a name is shown by the email, inside `displayName`);
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

/** What `user.deleted` leaves of the replica: the id, the session version and the version. */
export const USER_TOMBSTONE = { deleted: true, displayName: null } as const;

/** Of `ids`, the users whose account was deleted (an unknown id is not one of them). */
export async function findDeletedUsers(ids: readonly string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await User.find({ _id: { $in: ids }, deleted: true }, { _id: 1 }).lean();
  return new Set(rows.map((row) => row._id));
}

/**
 * What tasks keeps of a user from `user.created` / `user.updated`. The name follows the suite's
 * one rule (common's `displayName`); a replica written before that rule keeps the email's local
 * part until the user's next `user.updated`.
 */
export function userReplicaFields(user: EventData<'user.updated'>) {
  return { displayName: displayName(user), sessionVersion: user.sessionVersion ?? 0 };
}

export const userReplicaListeners: Listener[] = [
  replicaListener('user.created', User, userReplicaFields),
  replicaListener('user.updated', User, userReplicaFields),
  /*
   * The replica becomes a tombstone, in one write: a redelivery after a crash either finds it
   * undone or done (a duplicate), so there is nothing left to finish. The user's tasks, comments
   * and attachments keep their id; the names tasks shows are resolved when read (see
   * `commentResponses`), so nothing else is rewritten.
   */
  replicaListener('user.deleted', User, () => USER_TOMBSTONE),
];
