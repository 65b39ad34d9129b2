import {
  BadRequestError,
  eventMetadataFrom,
  handle,
  recordEvent,
  retryOnConflict,
} from '@taskforge/common';
import { Router } from 'express';
import type { AuthConfig } from '../config';
import { signUp } from '../contracts/sessions';
import { toUserResponse, User, userEventData } from '../models/user';
import { verifyNewAccount } from '../services/email-verification';
import { hashPassword } from '../services/password';
import { startSession, type SessionConfig } from '../services/session';

function isDuplicateKeyError(err: unknown): boolean {
  return typeof err === 'object' && err !== null && 'code' in err && err.code === 11000;
}

export function signupRouter(deps: {
  config: SessionConfig & Pick<AuthConfig, 'EMAIL_VERIFICATION_TTL_HOURS'>;
  eventsRecorded: () => void;
}): Router {
  const router = Router();
  router.post(
    signUp.path,
    handle(signUp, async ({ body: { email, password } }, req, res) => {
      if (await User.exists({ email })) throw new BadRequestError('Email in use', 'email');

      // Not verified yet, said outright: an absent field means an account from before verification.
      const user = new User({
        email,
        passwordHash: await hashPassword(password),
        emailVerifiedAt: null,
      });
      recordEvent(user, 'user.created', userEventData(user, 0), eventMetadataFrom(req));
      // The address is the account's, unverified, from the start: the link proves it later.
      verifyNewAccount(req, user, deps.config);
      try {
        // The unique index settles signups racing past the check above (a deadlock the store
        // broke among them is tried again and gets the duplicate key).
        await retryOnConflict(() => user.save());
      } catch (err) {
        if (isDuplicateKeyError(err)) throw new BadRequestError('Email in use', 'email');
        throw err;
      }
      deps.eventsRecorded();

      startSession(req, user, deps.config);
      res.status(201).send(toUserResponse(user));
    }),
  );
  return router;
}
