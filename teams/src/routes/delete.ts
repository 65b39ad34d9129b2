import { eventMetadataFrom, requireAuth } from '@taskforge/common';
import { Router } from 'express';
import type { Pool } from 'pg';
import { deleteTeam } from '../services/team-writes';
import { teamIdParam } from './validators';

export function deleteTeamRouter(deps: { pool: Pool; eventsRecorded: () => void }): Router {
  const router = Router();
  router.delete('/api/teams/:id', requireAuth, teamIdParam, async (req, res) => {
    await deleteTeam(
      deps.pool,
      req.params.id as string,
      req.currentUser!.id,
      eventMetadataFrom(req),
    );
    deps.eventsRecorded();
    res.status(204).end();
  });
  return router;
}
