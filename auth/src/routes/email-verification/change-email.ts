import { BadRequestError, handle, NotFoundError, requireAuth } from '@taskforge/common';
import { Router, type RequestHandler } from 'express';
import type { AuthConfig } from '../../config';
import { afterValidation } from '../../contracts/after-validation';
import { changeEmail } from '../../contracts/email-verification';
import { findUserById, loadUserWithPassword, toUserResponse, User } from '../../models/user';
import { sendVerification } from '../../services/email-verification';

/**
 * A new address for a signed-in user, with the password: the account takes it only once the
 * link mailed to it is opened (until then the old one stays, verified or not).
 */
export function changeEmailRouter(deps: {
  config: AuthConfig;
  eventsRecorded: () => void;
  perUser: RequestHandler;
}): Router {
  // A change of address counts once it is valid, as it did behind its validation.
  const perValidUser = afterValidation(deps.perUser);

  const router = Router();
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
  return router;
}
