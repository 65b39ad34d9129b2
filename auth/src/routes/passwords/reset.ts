import { editDocument, eventMetadataFrom, handle } from '@taskforge/common';
import { Router } from 'express';
import type { Redis } from 'ioredis';
import type { AuthConfig } from '../../config';
import { requestPasswordReset } from '../../contracts/passwords';
import { hashResetToken, newResetToken, PasswordReset } from '../../models/password-reset';
import { User } from '../../models/user';
import { addressLimits } from '../../services/address-limits';

export interface RequestPasswordResetDeps {
  config: AuthConfig;
  redis: Redis;
  redisPrefix: string;
  eventsRecorded: () => void;
}

/**
 * Forgotten passwords: a request always answers 202, whether or not the address has an account
 * (nobody learns which addresses do); for one that has, a single-use link goes out by email
 * through notifications (`password-reset.requested`); confirm-reset.ts takes its token once.
 */
export function requestPasswordResetRouter(deps: RequestPasswordResetDeps): Router {
  const { config } = deps;
  const { perIp, perEmail } = addressLimits(deps, {
    name: 'reset',
    windowMs: config.PASSWORD_RESET_WINDOW_MS,
    maxPerIp: config.PASSWORD_RESET_MAX_PER_IP,
    maxPerEmail: config.PASSWORD_RESET_MAX_PER_EMAIL,
    message: 'Too many password reset requests, please try again later',
  });

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
  return router;
}
