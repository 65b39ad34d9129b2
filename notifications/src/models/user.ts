import { NOTIFICATION_FREQUENCIES, type EventData } from '@taskforge/common';
import mongoose, { Schema } from 'mongoose';

export type NotificationFrequency = (typeof NOTIFICATION_FREQUENCIES)[number];

/** What notifications keeps of a user, from `user.*`: where and how often to email them. */
export interface UserReplicaAttrs {
  _id: string;
  version: number;
  email: string;
  firstName: string | null;
  lastName: string | null;
  emailEnabled: boolean;
  frequency: NotificationFrequency;
  /** Session tokens older than this are refused (see common's `currentUser`). */
  sessionVersion: number;
}

const userSchema = new Schema<UserReplicaAttrs>(
  {
    _id: { type: String, required: true },
    version: { type: Number, required: true },
    email: { type: String, required: true },
    firstName: { type: String, default: null },
    lastName: { type: String, default: null },
    emailEnabled: { type: Boolean, required: true },
    frequency: { type: String, enum: [...NOTIFICATION_FREQUENCIES], required: true },
    sessionVersion: { type: Number, default: 0 },
  },
  { versionKey: false },
);

export const UserReplica = mongoose.model<UserReplicaAttrs>('User', userSchema);

export function userFields(
  data: EventData<'user.updated'>,
): Omit<UserReplicaAttrs, '_id' | 'version'> {
  return {
    email: data.email,
    firstName: data.firstName ?? null,
    lastName: data.lastName ?? null,
    emailEnabled: data.preferences.notifications.email,
    frequency: data.preferences.notifications.frequency,
    sessionVersion: data.sessionVersion ?? 0,
  };
}

/** How a user is named in notification texts; someone we have not heard of yet is "Someone". */
export function displayName(
  user: Pick<UserReplicaAttrs, 'email' | 'firstName' | 'lastName'> | null,
): string {
  if (!user) return 'Someone';
  const name = [user.firstName, user.lastName].filter(Boolean).join(' ').trim();
  return name || user.email;
}
