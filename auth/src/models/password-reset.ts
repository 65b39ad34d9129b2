import { createHash, randomBytes } from 'node:crypto';
import { outboxPlugin, type OutboxFields } from '@taskforge/common';
import mongoose, { Schema, type HydratedDocument } from 'mongoose';

/**
 * A password reset someone asked for. Only the token's hash is kept: the token itself travels
 * once, in `password-reset.requested`, to the email notifications sends. A reset works once,
 * until it expires, and only while it is the user's newest.
 */
export interface PasswordResetAttrs extends OutboxFields {
  userId: string;
  tokenHash: string;
  expiresAt: Date;
  usedAt: Date | null;
  createdAt: Date;
}

export type PasswordResetDocument = HydratedDocument<PasswordResetAttrs>;

const passwordResetSchema = new Schema<PasswordResetAttrs>(
  {
    userId: { type: String, required: true, index: true },
    tokenHash: { type: String, required: true, unique: true },
    expiresAt: { type: Date, required: true },
    usedAt: { type: Date, default: null },
  },
  { timestamps: { createdAt: true, updatedAt: false }, versionKey: false },
);
outboxPlugin(passwordResetSchema);

export const PasswordReset = mongoose.model<PasswordResetAttrs>(
  'PasswordReset',
  passwordResetSchema,
);

/** A new reset token: 256 random bits, URL-safe. */
export function newResetToken(): string {
  return randomBytes(32).toString('base64url');
}

export function hashResetToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
