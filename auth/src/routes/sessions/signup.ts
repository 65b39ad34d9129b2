import { BadRequestError, editDocument, eventMetadataFrom, handle } from '@taskforge/common';
import { Router } from 'express';
import type { AuthConfig } from '../../config';
import { signUp } from '../../contracts/sessions';
import { toUserResponse, User, userEventData } from '../../models/user';
import { verifyNewAccount } from '../../services/email-verification';
import { hashPassword } from '../../services/password';
import { startSession, type SessionConfig } from '../../services/session';

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

      const passwordHash = await hashPassword(password);
      let user;
      try {
        // The unique index settles signups racing past the check above (a deadlock the store
        // broke among them is tried again and gets the duplicate key).
        user = await editDocument(
          // Not verified yet, said outright: an absent field means an account from before
          // verification.
          async () => new User({ email, passwordHash, emailVerifiedAt: null }),
          (created, version) => [
            { subject: 'user.created', data: userEventData(created, version) },
            // The address is the account's, unverified, from the start: the link proves it later.
            verifyNewAccount(created, deps.config),
          ],
          { metadata: eventMetadataFrom(req), eventsRecorded: deps.eventsRecorded },
        );
      } catch (err) {
        if (isDuplicateKeyError(err)) throw new BadRequestError('Email in use', 'email');
        throw err;
      }

      startSession(req, user, deps.config);
      res.status(201).send(toUserResponse(user));
    }),
  );
  return router;
}
