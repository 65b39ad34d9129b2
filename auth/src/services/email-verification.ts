import { buildEvent, eventMetadataFrom, type EventEnvelope } from '@taskforge/common';
import type { Request } from 'express';
import { Types } from 'mongoose';
import type { AuthConfig } from '../config';
import { hashResetToken, newResetToken } from '../models/password-reset';
import { User, type PendingVerification, type UserDocument } from '../models/user';

type VerificationConfig = Pick<AuthConfig, 'EMAIL_VERIFICATION_TTL_HOURS'>;

/**
 * A link for the owner of `email` to prove it is theirs: 256 random bits, of which the user keeps
 * only the hash (a newer link replaces it), and `email-verification.requested`, which carries
 * the token to the email notifications sends.
 */
function newVerification(
  req: Request,
  userId: string,
  email: string,
  config: VerificationConfig,
): { pending: PendingVerification; event: EventEnvelope } {
  const token = newResetToken();
  const expiresAt = new Date(Date.now() + config.EMAIL_VERIFICATION_TTL_HOURS * 3_600_000);
  const event = buildEvent(
    'email-verification.requested',
    {
      id: new Types.ObjectId().toString(),
      version: 0,
      userId,
      email,
      token,
      expiresAt: expiresAt.toISOString(),
    },
    eventMetadataFrom(req),
  );
  return { pending: { email, tokenHash: hashResetToken(token), expiresAt }, event };
}

/** At sign-up: the link goes in the new user's document, stored by the same save. */
export function verifyNewAccount(req: Request, user: UserDocument, config: VerificationConfig) {
  const { pending, event } = newVerification(req, user._id.toString(), user.email, config);
  user.set('emailVerification', pending);
  user.outbox.push(event as EventEnvelope);
}

/**
 * A new link for a signed-in user, for their address or for one the account takes once it is
 * opened. A plain update, not a save: nothing replicated changes, so the user's version (which
 * every `user.*` event follows) must not move. False when the account is gone.
 */
export async function sendVerification(
  req: Request,
  userId: string,
  email: string,
  config: VerificationConfig,
): Promise<boolean> {
  const { pending, event } = newVerification(req, userId, email, config);
  const result = await User.updateOne(
    { _id: userId, deletedAt: null },
    { $set: { emailVerification: pending }, $push: { outbox: event } },
  );
  return result.matchedCount === 1;
}
