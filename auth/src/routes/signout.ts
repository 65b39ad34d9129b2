import { requireAuth, type SessionVersions } from '@taskforge/common';
import { Router } from 'express';
import { endSessions } from '../services/session';

export function signoutRouter(deps: {
  eventsRecorded: () => void;
  sessions: SessionVersions;
}): Router {
  const router = Router();
  router.post('/api/users/signout', (req, res) => {
    req.session = null;
    res.send({});
  });

  /** Ends every session of the user, this one too, in every service. */
  router.post('/api/users/signout-everywhere', requireAuth, async (req, res) => {
    await endSessions(req, deps);
    req.session = null;
    res.send({});
  });
  return router;
}
