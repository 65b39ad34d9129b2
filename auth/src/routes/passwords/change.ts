import { handle, requireAuth, type SessionVersions } from '@taskforge/common';
import { Router } from 'express';
import type { AuthConfig } from '../../config';
import { changePassword } from '../../contracts/passwords';
import { loadUserWithPassword } from '../../models/user';
import { hashPassword } from '../../services/password';
import { endSessions, startSession } from '../../services/session';

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
      await loadUserWithPassword(req.currentUser!.id, currentPassword, 'currentPassword');
      const passwordHash = await hashPassword(newPassword);
      const user = await endSessions(req, deps, { passwordHash, passwordChangedAt: new Date() });
      startSession(req, user, deps.config);
      res.status(204).end();
    }),
  );
  return router;
}
