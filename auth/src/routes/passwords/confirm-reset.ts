import { BadRequestError, handle, NotFoundError, type SessionVersions } from '@taskforge/common';
import { Router } from 'express';
import type { Redis } from 'ioredis';
import type { AuthConfig } from '../../config';
import { confirmPasswordReset, INVALID_RESET_LINK } from '../../contracts/passwords';
import { hashResetToken, PasswordReset } from '../../models/password-reset';
import { linkConfirmationLimiter } from '../../services/link-confirmations';
import { hashPassword } from '../../services/password';
import { endSessions } from '../../services/session';

export interface ConfirmPasswordResetDeps {
  config: AuthConfig;
  redis: Redis;
  redisPrefix: string;
  eventsRecorded: () => void;
  sessions: SessionVersions;
}

/**
 * Opening a mailed reset link: its token sets a new password once, before it expires and while
 * it is the newest, and ends every session of the account.
 */
export function confirmPasswordResetRouter(deps: ConfirmPasswordResetDeps): Router {
  const confirmsPerIp = linkConfirmationLimiter(deps, 'reset');

  const router = Router();
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
