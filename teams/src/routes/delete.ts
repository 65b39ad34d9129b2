import { eventMetadataFrom, handle, requireAuth } from '@taskforge/common';
import { Router } from 'express';
import type { Pool } from 'pg';
import { checkTeamId } from '../contracts/shared';
import { deleteTeamRoute } from '../contracts/teams';
import { deleteTeam } from '../services/team-writes';

export function deleteTeamRouter(deps: { pool: Pool; eventsRecorded: () => void }): Router {
  const router = Router();
  router.delete(
    deleteTeamRoute.path,
    requireAuth,
    checkTeamId,
    handle(deleteTeamRoute, async (_input, req, res) => {
      await deleteTeam(
        deps.pool,
        req.params.id as string,
        req.currentUser!.id,
        eventMetadataFrom(req),
      );
      deps.eventsRecorded();
      res.status(204).end();
    }),
  );
  return router;
}
