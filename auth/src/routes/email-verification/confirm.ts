import {
  BadRequestError,
  ConflictError,
  editDocument,
  eventMetadataFrom,
  handle,
} from '@taskforge/common';
import { Router } from 'express';
import type { Redis } from 'ioredis';
import type { AuthConfig } from '../../config';
import { confirmEmail, INVALID_VERIFICATION_LINK } from '../../contracts/email-verification';
import { hashResetToken } from '../../models/password-reset';
import { User, userEventData } from '../../models/user';
import { linkConfirmationLimiter } from '../../services/link-confirmations';
import { startSession } from '../../services/session';

export interface ConfirmEmailDeps {
  config: AuthConfig;
  redis: Redis;
  redisPrefix: string;
  eventsRecorded: () => void;
}

function isDuplicateKeyError(err: unknown): boolean {
  return typeof err === 'object' && err !== null && 'code' in err && err.code === 11000;
}

/**
 * Opening a verification link, mailed at sign-up or for a new address. It needs no session: it is
 * the token that proves the mailbox.
 */
export function confirmEmailRouter(deps: ConfirmEmailDeps): Router {
  const { config } = deps;
  const confirmsPerIp = linkConfirmationLimiter(deps, 'verify');

  const router = Router();
  router.post(
    confirmEmail.path,
    confirmsPerIp,
    handle(confirmEmail, async ({ body: { token } }, req, res) => {
      const tokenHash = hashResetToken(token);
      const inUse = () => new ConflictError('This address is in use by another account now');
      let user;
      try {
        // Of two requests with the same token, the second's save meets the first's version, and
        // its next try finds the token gone.
        user = await editDocument(
          async () => {
            const found = await User.findOne({
              'emailVerification.tokenHash': tokenHash,
              deletedAt: null,
            });
            const pending = found?.emailVerification;
            if (!found || !pending || pending.expiresAt.getTime() <= Date.now()) {
              throw new BadRequestError(INVALID_VERIFICATION_LINK, 'token');
            }
            if (pending.email !== found.email && (await User.exists({ email: pending.email }))) {
              throw inUse();
            }
            return found;
          },
          (found, version) => {
            found.set({
              email: found.emailVerification!.email,
              emailVerifiedAt: new Date(),
              emailVerification: null,
            });
            return [{ subject: 'user.updated', data: userEventData(found, version) }];
          },
          { metadata: eventMetadataFrom(req), eventsRecorded: deps.eventsRecorded },
        );
      } catch (err) {
        // Another account took the address between the check and the save: the unique index.
        if (isDuplicateKeyError(err)) throw inUse();
        throw err;
      }
      // Signed in as that account here: the session's token carries the address it now has.
      if (req.currentUser?.id === user._id.toString()) startSession(req, user, config);
      res.status(204).end();
    }),
  );
  return router;
}
