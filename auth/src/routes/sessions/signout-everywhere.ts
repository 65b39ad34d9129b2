import { handle, requireAuth, type SessionVersions } from '@taskforge/common';
import { Router } from 'express';
import { signOutEverywhere } from '../../contracts/sessions';
import { endSessions } from '../../services/session';

/** Ends every session of the user, this one too, in every service. */
export function signoutEverywhereRouter(deps: {
  eventsRecorded: () => void;
  sessions: SessionVersions;
}): Router {
  const router = Router();
  router.post(
    signOutEverywhere.path,
    requireAuth,
    handle(signOutEverywhere, async (_input, req, res) => {
      await endSessions(req, deps);
      req.session = null;
      res.send({});
    }),
  );
  return router;
}
