import {
  buildEvent,
  createRateLimiter,
  eventMetadataFrom,
  type EventData,
  type RecordedEvent,
} from '@taskforge/common';
import type { Request, RequestHandler } from 'express';
import type { Redis } from 'ioredis';
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
  userId: string,
  email: string,
  config: VerificationConfig,
): { pending: PendingVerification; data: EventData<'email-verification.requested'> } {
  const token = newResetToken();
  const expiresAt = new Date(Date.now() + config.EMAIL_VERIFICATION_TTL_HOURS * 3_600_000);
  const data = {
    id: new Types.ObjectId().toString(),
    version: 0,
    userId,
    email,
    token,
    expiresAt: expiresAt.toISOString(),
  };
  return { pending: { email, tokenHash: hashResetToken(token), expiresAt }, data };
}

/**
 * At sign-up: the link goes in the new user's document, and its event is one of those the
 * sign-up's save records.
 */
export function verifyNewAccount(user: UserDocument, config: VerificationConfig): RecordedEvent {
  const { pending, data } = newVerification(user._id.toString(), user.email, config);
  user.set('emailVerification', pending);
  return { subject: 'email-verification.requested', data };
}

/**
 * A new link for a signed-in user, for their address or for one the account takes once it is
 * opened. A plain update with its event, not `editDocument`'s save: nothing replicated changes,
 * so the user's version (which every `user.*` event follows) must not move, and the update
 * itself finds the account still there (a save could put the link on a tombstone). The relay is
 * told once the event is stored. False when the account is gone.
 */
export async function sendVerification(
  req: Request,
  userId: string,
  email: string,
  deps: { config: VerificationConfig; eventsRecorded: () => void },
): Promise<boolean> {
  const { pending, data } = newVerification(userId, email, deps.config);
  const event = buildEvent('email-verification.requested', data, eventMetadataFrom(req));
  const result = await User.updateOne(
    { _id: userId, deletedAt: null },
    { $set: { emailVerification: pending }, $push: { outbox: event } },
  );
  if (result.matchedCount !== 1) return false;
  deps.eventsRecorded();
  return true;
}

/**
 * The limit on verification emails, per user whatever the address: one limiter for asking again
 * and for a change of address, so both count in the same bucket.
 */
export function verificationEmailLimiter(deps: {
  config: AuthConfig;
  redis: Redis;
  redisPrefix: string;
}): RequestHandler {
  return createRateLimiter({
    redis: deps.redis,
    prefix: `${deps.redisPrefix}:verify-user`,
    windowMs: deps.config.EMAIL_VERIFICATION_WINDOW_MS,
    limit: deps.config.EMAIL_VERIFICATION_MAX_PER_USER,
    keyGenerator: (req) => req.currentUser!.id,
    message: 'Too many verification emails, please try again later',
  });
}
