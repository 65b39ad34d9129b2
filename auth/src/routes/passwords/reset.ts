import {
  BadRequestError,
  createRateLimiter,
  editDocument,
  eventMetadataFrom,
  handle,
  ipKey,
  NotFoundError,
  type SessionVersions,
} from '@taskforge/common';
import { Router } from 'express';
import type { Redis } from 'ioredis';
import type { AuthConfig } from '../config';
import { afterValidation } from '../contracts/after-validation';
import {
  confirmPasswordReset,
  INVALID_RESET_LINK,
  requestPasswordReset,
} from '../contracts/passwords';
import { emailAddress } from '../contracts/shared';
import { hashResetToken, newResetToken, PasswordReset } from '../models/password-reset';
import { User } from '../models/user';
import { linkConfirmationLimiter } from '../services/link-confirmations';
import { hashPassword } from '../services/password';
import { endSessions } from '../services/session';

export interface PasswordResetDeps {
  config: AuthConfig;
  redis: Redis;
  redisPrefix: string;
  eventsRecorded: () => void;
  sessions: SessionVersions;
}

/**
 * Forgotten passwords: a request always answers 202, whether or not the address has an account
 * (nobody learns which addresses do); for one that has, a single-use link goes out by email
 * through notifications (`password-reset.requested`). The link's token sets a new password once,
 * before it expires and while it is the newest, and ends every session of the account.
 */
export function passwordResetRouter(deps: PasswordResetDeps): Router {
  const { config, redis, redisPrefix } = deps;
  const message = 'Too many password reset requests, please try again later';
  const perIp = createRateLimiter({
    redis,
    prefix: `${redisPrefix}:reset-ip`,
    windowMs: config.PASSWORD_RESET_WINDOW_MS,
    limit: config.PASSWORD_RESET_MAX_PER_IP,
    keyGenerator: ipKey,
    message,
  });
  const perEmail = afterValidation(
    createRateLimiter({
      redis,
      prefix: `${redisPrefix}:reset-email`,
      windowMs: config.PASSWORD_RESET_WINDOW_MS,
      limit: config.PASSWORD_RESET_MAX_PER_EMAIL,
      // After validation: the address as validated, trimmed and lower-cased.
      keyGenerator: (req) => emailAddress.parse((req.body as { email: unknown }).email),
      message,
    }),
  );
  const confirmsPerIp = linkConfirmationLimiter(deps, 'reset');

  const router = Router();
  router.post(
    requestPasswordReset.path,
    perIp,
    handle(requestPasswordReset, async ({ body: { email } }, req, res) => {
      await perEmail(req, res);
      const user = await User.findOne({ email }, { email: 1 }).lean();
      if (user) {
        const userId = user._id.toString();
        // A newer request is the only one that works: the older links die with it.
        await PasswordReset.deleteMany({ userId, usedAt: null });
        const token = newResetToken();
        const expiresAt = new Date(Date.now() + config.PASSWORD_RESET_TTL_MINUTES * 60_000);
        await editDocument(
          async () => new PasswordReset({ userId, tokenHash: hashResetToken(token), expiresAt }),
          (reset, version) => [
            {
              subject: 'password-reset.requested',
              data: {
                id: reset._id.toString(),
                version,
                userId,
                email: user.email,
                token,
                expiresAt: expiresAt.toISOString(),
              },
            },
          ],
          { metadata: eventMetadataFrom(req), eventsRecorded: deps.eventsRecorded },
        );
      }
      res.status(202).send({});
    }),
  );

  router.post(
    confirmPasswordReset.path,
    confirmsPerIp,
    handle(confirmPasswordReset, async ({ body: { token, password } }, req, res) => {
      const passwordHash = await hashPassword(password);
      const now = new Date();
      // Taken once: of two requests with the same token, one finds it unused.
      const reset = await PasswordReset.findOneAndUpdate(
        { tokenHash: hashResetToken(token), usedAt: null, expiresAt: { $gt: now } },
        { $set: { usedAt: now } },
      ).lean();
      if (!reset) throw new BadRequestError(INVALID_RESET_LINK, 'token');
      try {
        await endSessions(req, deps, { passwordHash, passwordChangedAt: now }, reset.userId);
      } catch (err) {
        // The account went meanwhile: nothing to set, and the link has nothing left to do.
        if (err instanceof NotFoundError) throw new BadRequestError(INVALID_RESET_LINK, 'token');
        // Not set: the link stays usable for another try.
        await PasswordReset.updateOne({ _id: reset._id }, { $set: { usedAt: null } });
        throw err;
      }
      res.status(204).end();
    }),
  );
  return router;
}
