import {
  ACCOUNT_DELETED,
  BadRequestError,
  isObjectId,
  NotFoundError,
  NOTIFICATION_FREQUENCIES,
  outboxPlugin,
  THEMES,
  type EventData,
  type OutboxFields,
} from '@taskforge/common';
import mongoose, { Schema, type HydratedDocument } from 'mongoose';
import { verifyPassword } from '../services/password';
import type { PublicUserResponse, UserResponse } from '../contracts/users';

export type Theme = (typeof THEMES)[number];
export type NotificationFrequency = (typeof NOTIFICATION_FREQUENCIES)[number];

// A type alias, not an interface, so it fits the event catalogue's open object type.
export type Preferences = {
  theme: Theme;
  notifications: { email: boolean; push: boolean; frequency: NotificationFrequency };
};

export interface UserAttrs extends OutboxFields {
  email: string;
  passwordHash: string;
  firstName: string | null;
  lastName: string | null;
  bio: string | null;
  avatarUrl: string | null;
  preferences: Preferences;
  createdAt: Date;
  lastLoginAt: Date | null;
  passwordChangedAt: Date | null;
  /**
   * Raised to end every session at once (sign out everywhere, a password change): tokens carry
   * the one they were signed with, and every service refuses older ones (see `currentUser`).
   */
  sessionVersion: number;
  /**
   * When the owner opened the link mailed to `email`; null: not yet. Absent (undefined) on an
   * account made before verification existed, which was never asked and counts as verified
   * (see `isEmailVerified`), so the field has no default.
   */
  emailVerifiedAt?: Date | null;
  /**
   * The verification link last mailed, for the current address or for a new one the account
   * takes once the link is opened (only the token's hash is kept; see `services/email-verification.ts`).
   */
  emailVerification: PendingVerification | null;
  /** Set when the owner deleted the account: the document is a tombstone, see `toTombstone`. */
  deletedAt: Date | null;
  version: number;
}

export interface PendingVerification {
  email: string;
  tokenHash: string;
  expiresAt: Date;
}

export type UserDocument = HydratedDocument<UserAttrs>;

export const PROFILE_LIMITS = { name: 100, bio: 1000, avatarUrl: 2048 } as const;

const userSchema = new Schema<UserAttrs>(
  {
    email: { type: String, required: true, unique: true, trim: true, lowercase: true },
    passwordHash: { type: String, required: true, select: false },
    firstName: { type: String, default: null, maxlength: PROFILE_LIMITS.name },
    lastName: { type: String, default: null, maxlength: PROFILE_LIMITS.name },
    bio: { type: String, default: null, maxlength: PROFILE_LIMITS.bio },
    avatarUrl: { type: String, default: null, maxlength: PROFILE_LIMITS.avatarUrl },
    preferences: {
      theme: { type: String, enum: [...THEMES], default: 'system' },
      notifications: {
        email: { type: Boolean, default: true },
        push: { type: Boolean, default: true },
        frequency: { type: String, enum: [...NOTIFICATION_FREQUENCIES], default: 'immediate' },
      },
    },
    lastLoginAt: { type: Date, default: null },
    passwordChangedAt: { type: Date, default: null },
    sessionVersion: { type: Number, default: 0, min: 0 },
    emailVerifiedAt: { type: Date },
    emailVerification: {
      type: new Schema<PendingVerification>(
        {
          email: { type: String, required: true },
          tokenHash: { type: String, required: true },
          expiresAt: { type: Date, required: true },
        },
        { _id: false },
      ),
      default: null,
    },
    deletedAt: { type: Date, default: null },
  },
  {
    // Every save bumps `version`, and every save records the event carrying that version.
    optimisticConcurrency: true,
    versionKey: 'version',
    timestamps: { createdAt: true, updatedAt: false },
  },
);
outboxPlugin(userSchema);
// A link opened finds its account by the token's hash.
userSchema.index({ 'emailVerification.tokenHash': 1 }, { sparse: true });

export const User = mongoose.model<UserAttrs>('User', userSchema);

/**
 * Loads a user by id; a malformed id or a deleted account finds nobody rather than failing the
 * cast.
 */
export async function findUserById(
  id: string,
  options: { withPasswordHash?: boolean } = {},
): Promise<UserDocument | null> {
  if (!isObjectId(id)) return null;
  const query = User.findOne({ _id: id, deletedAt: null });
  return options.withPasswordHash ? query.select('+passwordHash') : query;
}

/** The account, or the 404 a route answers when it is gone (deleted, or never was). */
export async function loadUser(
  id: string,
  options: { withPasswordHash?: boolean } = {},
): Promise<UserDocument> {
  const user = await findUserById(id, options);
  if (!user) throw new NotFoundError('User not found');
  return user;
}

/** The account, once `password` is its own; else 400 "Invalid credentials" on `field`. */
export async function loadUserWithPassword(
  id: string,
  password: string,
  field: string,
): Promise<UserDocument> {
  const user = await loadUser(id, { withPasswordHash: true });
  if (!(await verifyPassword(password, user.passwordHash))) {
    throw new BadRequestError('Invalid credentials', field);
  }
  return user;
}

/**
 * What stays of a deleted account: the id and the version (so the events that follow it stay
 * in order and a new account can never take the id), and nothing that tells who it was. The
 * address becomes one that cannot exist (`.invalid`, RFC 2606), which frees the real one for a
 * new sign-up; no password matches the hash; every session ends.
 */
export function toTombstone(user: UserDocument, now: Date): void {
  user.set({
    email: `deleted-${user._id.toString()}@deleted.invalid`,
    passwordHash: '!',
    firstName: null,
    lastName: null,
    bio: null,
    avatarUrl: null,
    preferences: {
      theme: 'system',
      notifications: { email: true, push: true, frequency: 'immediate' },
    },
    lastLoginAt: null,
    passwordChangedAt: null,
    emailVerifiedAt: null,
    emailVerification: null,
    sessionVersion: user.sessionVersion + 1,
    deletedAt: now,
  });
}

function preferencesOf(user: UserDocument): Preferences {
  const { theme, notifications } = user.preferences;
  return {
    theme,
    notifications: {
      email: notifications.email,
      push: notifications.push,
      frequency: notifications.frequency,
    },
  };
}

/** What `user.created` / `user.updated` carry; `version` is the one the pending save produces. */
export function userEventData(user: UserDocument, version: number): EventData<'user.updated'> {
  return {
    id: user._id.toString(),
    version,
    email: user.email,
    firstName: user.firstName,
    lastName: user.lastName,
    avatarUrl: user.avatarUrl,
    preferences: preferencesOf(user),
    sessionVersion: user.sessionVersion,
    emailVerified: isEmailVerified(user),
  };
}

/** Verified, or from before verification existed (no `emailVerifiedAt` at all). */
export function isEmailVerified(user: Pick<UserAttrs, 'emailVerifiedAt'>): boolean {
  return user.emailVerifiedAt !== null;
}

/** The session version a user's tokens need (undefined: no such user). */
export async function sessionVersionOf(id: string): Promise<number | undefined> {
  if (!isObjectId(id)) return undefined;
  const user = await User.findById(id, { sessionVersion: 1, deletedAt: 1 }).lean();
  if (!user) return undefined;
  return user.deletedAt ? ACCOUNT_DELETED : (user.sessionVersion ?? 0);
}

/** The signed-in user's own view of their account. Lists fields, so secrets never slip out. */
export function toUserResponse(user: UserDocument): UserResponse {
  const pending = user.emailVerification;
  return {
    id: user._id.toString(),
    email: user.email,
    emailVerified: isEmailVerified(user),
    pendingEmail: pending && pending.email !== user.email ? pending.email : null,
    firstName: user.firstName,
    lastName: user.lastName,
    bio: user.bio,
    avatarUrl: user.avatarUrl,
    preferences: preferencesOf(user),
    createdAt: user.createdAt.toISOString(),
    lastLoginAt: user.lastLoginAt?.toISOString() ?? null,
    passwordChangedAt: user.passwordChangedAt?.toISOString() ?? null,
    version: user.version,
  };
}

/** What anyone may see of a user. */
export function toPublicProfile(user: UserDocument): PublicUserResponse {
  return {
    id: user._id.toString(),
    firstName: user.firstName,
    lastName: user.lastName,
    bio: user.bio,
    avatarUrl: user.avatarUrl,
  };
}
