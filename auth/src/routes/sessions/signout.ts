import { handle, requireAuth, type SessionVersions } from '@taskforge/common';
import { Router } from 'express';
import { signOut, signOutEverywhere } from '../contracts/sessions';
import { endSessions } from '../services/session';

export function signoutRouter(deps: {
  eventsRecorded: () => void;
  sessions: SessionVersions;
}): Router {
  const router = Router();
  router.post(
    signOut.path,
    handle(signOut, (_input, req, res) => {
      req.session = null;
      res.send({});
    }),
  );

  /** Ends every session of the user, this one too, in every service. */
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
