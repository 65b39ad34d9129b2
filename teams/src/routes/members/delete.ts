import { eventMetadataFrom, requireAuth } from '@taskforge/common';
import { Router } from 'express';
import type { Pool } from 'pg';
import { removeMember } from '../../services/membership-writes';
import { teamIdParam, userIdParam } from '../validators';

/** Removes a member, or (their own user id) lets a member leave. */
export function deleteMemberRouter(deps: { pool: Pool; eventsRecorded: () => void }): Router {
  const router = Router();
  router.delete(
    '/api/teams/:id/members/:userId',
    requireAuth,
    teamIdParam,
    userIdParam,
    async (req, res) => {
      await removeMember(
        deps.pool,
        req.params.id as string,
        req.currentUser!.id,
        req.params.userId as string,
        eventMetadataFrom(req),
      );
      deps.eventsRecorded();
      res.status(204).end();
    },
  );
  return router;
}
