import { ConflictError, handle, NotFoundError, requireAuth } from '@taskforge/common';
import { Router, type RequestHandler } from 'express';
import type { AuthConfig } from '../../config';
import { resendVerification } from '../../contracts/email-verification';
import { isEmailVerified, loadUser } from '../../models/user';
import { sendVerification } from '../../services/email-verification';

/**
 * A new link for a signed-in user: for the address a change waits on, else for the account's own
 * while it is unverified. Each request mails someone, so `perUser` bounds them.
 */
export function resendVerificationRouter(deps: {
  config: AuthConfig;
  eventsRecorded: () => void;
  perUser: RequestHandler;
}): Router {
  const router = Router();
  router.post(
    resendVerification.path,
    requireAuth,
    deps.perUser,
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
  return router;
}
