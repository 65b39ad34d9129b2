import {
  ConflictError,
  editDocument,
  eventMetadataFrom,
  handle,
  requireAuth,
  type SessionVersions,
} from '@taskforge/common';
import { Router } from 'express';
import { deleteMe } from '../../contracts/users';
import { PasswordReset } from '../../models/password-reset';
import { teamsOnlyAdministeredBy } from '../../replicas/membership';
import { loadUser, loadUserWithPassword, toTombstone } from '../../models/user';

function lastAdminMessage(teams: string[]): string {
  const names = teams.map((name) => `"${name}"`);
  const list =
    names.length === 1 ? names[0] : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
  const them = teams.length === 1 ? 'it' : 'each of them';
  return `You are the last admin of ${list}: make another member an admin of ${them}, or delete ${them}, before deleting your account`;
}

/**
 * `DELETE /api/users/me` with the password: the account becomes a tombstone and `user.deleted`
 * tells every service, which forgets what it holds of the user (teams ends the memberships through
 * its own path). Answers 204 and drops the cookie; every session of the user ends with it.
 */
export function deleteMeRouter(deps: {
  eventsRecorded: () => void;
  sessions: SessionVersions;
}): Router {
  const router = Router();
  router.delete(
    deleteMe.path,
    requireAuth,
    handle(deleteMe, async ({ body: { password } }, req, res) => {
      const userId = req.currentUser!.id;
      await loadUserWithPassword(userId, password, 'password');
      const stranded = await teamsOnlyAdministeredBy(userId);
      if (stranded.length > 0) throw new ConflictError(lastAdminMessage(stranded));

      await editDocument(
        () => loadUser(userId, { withPasswordHash: true }),
        (user, version) => {
          toTombstone(user, new Date());
          return [{ subject: 'user.deleted', data: { id: userId, version } }];
        },
        { metadata: eventMetadataFrom(req), eventsRecorded: deps.eventsRecorded },
      );
      deps.sessions.forget(userId);
      // After the tombstone, so a crash between the two leaves links that find no account.
      await PasswordReset.deleteMany({ userId });
      req.session = null;
      res.status(204).end();
    }),
  );
  return router;
}
