import {
  BadRequestError,
  handle,
  NotFoundError,
  requireAuth,
  type SessionVersions,
} from '@taskforge/common';
import { Router } from 'express';
import type { AuthConfig } from '../config';
import { changePassword } from '../contracts/passwords';
import { findUserById } from '../models/user';
import { hashPassword, verifyPassword } from '../services/password';
import { endSessions, startSession } from '../services/session';

/**
 * Answers 204 with a new session cookie: every other session of the user ends (the session
 * version rises, and `user.updated` tells every service).
 */
export function changePasswordRouter(deps: {
  config: AuthConfig;
  eventsRecorded: () => void;
  sessions: SessionVersions;
}) {
  const router = Router();
  router.post(
    changePassword.path,
    requireAuth,
    handle(changePassword, async ({ body: { currentPassword, newPassword } }, req, res) => {
      const checked = await findUserById(req.currentUser!.id, { withPasswordHash: true });
      if (!checked) throw new NotFoundError('User not found');
      if (!(await verifyPassword(currentPassword, checked.passwordHash))) {
        throw new BadRequestError('Invalid credentials', 'currentPassword');
      }
      const passwordHash = await hashPassword(newPassword);
      const user = await endSessions(req, deps, { passwordHash, passwordChangedAt: new Date() });
      startSession(req, user, deps.config);
      res.status(204).end();
    }),
  );
  return router;
}
