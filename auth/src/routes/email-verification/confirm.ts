import {
  BadRequestError,
  ConflictError,
  createRateLimiter,
  editDocument,
  eventMetadataFrom,
  handle,
  NotFoundError,
  requireAuth,
} from '@taskforge/common';
import { Router } from 'express';
import type { Redis } from 'ioredis';
import type { AuthConfig } from '../config';
import { afterValidation } from '../contracts/after-validation';
import {
  changeEmail,
  confirmEmail,
  INVALID_VERIFICATION_LINK,
  resendVerification,
} from '../contracts/email-verification';
import { hashResetToken } from '../models/password-reset';
import {
  findUserById,
  isEmailVerified,
  loadUser,
  loadUserWithPassword,
  toUserResponse,
  User,
  userEventData,
} from '../models/user';
import { sendVerification } from '../services/email-verification';
import { linkConfirmationLimiter } from '../services/link-confirmations';
import { startSession } from '../services/session';

export interface EmailVerificationDeps {
  config: AuthConfig;
  redis: Redis;
  redisPrefix: string;
  eventsRecorded: () => void;
}

function isDuplicateKeyError(err: unknown): boolean {
  return typeof err === 'object' && err !== null && 'code' in err && err.code === 11000;
}

/**
 * Proving an address is the user's. Sign-up mails a link for the new account's address; a
 * signed-in user can ask for it again, or for a new address, which the account takes only once
 * its link is opened (until then the old one stays, verified or not). Opening a link needs no
 * session: it is the token that proves the mailbox.
 */
export function emailVerificationRouter(deps: EmailVerificationDeps): Router {
  const { config, redis, redisPrefix } = deps;
  // Each request mails someone: bounded per user, whatever the address.
  const perUser = createRateLimiter({
    redis,
    prefix: `${redisPrefix}:verify-user`,
    windowMs: config.EMAIL_VERIFICATION_WINDOW_MS,
    limit: config.EMAIL_VERIFICATION_MAX_PER_USER,
    keyGenerator: (req) => req.currentUser!.id,
    message: 'Too many verification emails, please try again later',
  });
  // A change of address counts once it is valid, as it did behind its validation.
  const perValidUser = afterValidation(perUser);
  const confirmsPerIp = linkConfirmationLimiter(deps, 'verify');

  const router = Router();
  router.post(
    resendVerification.path,
    requireAuth,
    perUser,
    handle(resendVerification, async (_input, req, res) => {
      const user = await loadUser(req.currentUser!.id);
      // A change under way is what needs its link; else the address the account has.
      const email = user.emailVerification?.email ?? user.email;
      if (email === user.email && isEmailVerified(user)) {
        throw new ConflictError('Your email address is already verified');
      }
      if (!(await sendVerification(req, user._id.toString(), email, deps))) {
        throw new NotFoundError('User not found');
      }
      res.status(202).send({});
    }),
  );

  router.post(
    changeEmail.path,
    requireAuth,
    handle(changeEmail, async ({ body: { email, password } }, req, res) => {
      await perValidUser(req, res);
      const user = await loadUserWithPassword(req.currentUser!.id, password, 'password');
      if (email === user.email) {
        throw new BadRequestError('This is already your email address', 'email');
      }
      if (await User.exists({ email })) throw new BadRequestError('Email in use', 'email');
      if (!(await sendVerification(req, user._id.toString(), email, deps))) {
        throw new NotFoundError('User not found');
      }
      const updated = await findUserById(user._id.toString());
      res.status(202).send(toUserResponse(updated ?? user));
    }),
  );

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
