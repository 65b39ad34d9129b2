import {
  NOTIFICATION_FREQUENCIES,
  replicaListener,
  type EventData,
  type Listener,
} from '@taskforge/common';
import mongoose, { Schema } from 'mongoose';

export type NotificationFrequency = (typeof NOTIFICATION_FREQUENCIES)[number];

/**
 * What notifications keeps of a user, from `user.*`: where and how often to email them. A
 * deleted user stays as a tombstone (`deleted: true`, nothing personal left) for the version
 * rule and the session check.
 */
export interface UserReplicaAttrs {
  _id: string;
  version: number;
  /** Null only on a tombstone, as are the names and the preferences. */
  email: string | null;
  firstName: string | null;
  lastName: string | null;
  emailEnabled: boolean | null;
  frequency: NotificationFrequency | null;
  /** Session tokens older than this are refused (see common's `currentUser`). */
  sessionVersion: number;
  deleted: boolean;
}

// A tombstone is written by an update (which does not validate); any user created is a live one.
function liveUser(this: UserReplicaAttrs): boolean {
  return !this.deleted;
}

const userSchema = new Schema<UserReplicaAttrs>(
  {
    _id: { type: String, required: true },
    version: { type: Number, required: true },
    email: { type: String, required: liveUser },
    firstName: { type: String, default: null },
    lastName: { type: String, default: null },
    emailEnabled: { type: Boolean, required: liveUser },
    frequency: { type: String, enum: [...NOTIFICATION_FREQUENCIES], required: liveUser },
    sessionVersion: { type: Number, default: 0 },
    deleted: { type: Boolean, default: false },
  },
  { versionKey: false },
);

export const UserReplica = mongoose.model<UserReplicaAttrs>('User', userSchema);

export function userFields(
  data: EventData<'user.updated'>,
): Omit<UserReplicaAttrs, '_id' | 'version' | 'deleted'> {
  return {
    email: data.email,
    firstName: data.firstName ?? null,
    lastName: data.lastName ?? null,
    emailEnabled: data.preferences.notifications.email,
    frequency: data.preferences.notifications.frequency,
    sessionVersion: data.sessionVersion ?? 0,
  };
}

/*
 * `user.created` only copies; `user.updated` (a tombstone is final) and `user.deleted` (the
 * inbox is forgotten too) have listeners of their own in events/listeners/.
 */
export const userReplicaListeners: Listener[] = [
  replicaListener('user.created', UserReplica, userFields),
];

/** What `user.deleted` leaves of a user: the id, the versions, and that they are gone. */
export const TOMBSTONE_FIELDS = {
  deleted: true,
  email: null,
  firstName: null,
  lastName: null,
  emailEnabled: null,
  frequency: null,
} satisfies Partial<UserReplicaAttrs>;

/** Of `userIds`, those whose account was deleted. */
export async function deletedUsers(
  userIds: Array<string | null | undefined>,
): Promise<Set<string>> {
  const ids = [...new Set(userIds.filter((id): id is string => Boolean(id)))];
  if (ids.length === 0) return new Set();
  const rows = await UserReplica.find({ _id: { $in: ids }, deleted: true }, { _id: 1 }).lean();
  return new Set(rows.map((row) => row._id));
}

export async function isDeleted(userId: string): Promise<boolean> {
  return (await deletedUsers([userId])).size > 0;
}

/**
 * How notification texts name someone we have not heard of, or whose account was deleted: the
 * texts start with the name ("Someone assigned you"), so common's `displayName` is given this
 * stand-in instead of its "Unknown user".
 */
export const SOMEONE = 'Someone';
