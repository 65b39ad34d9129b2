import { eventMetadataFrom, handle, requireAuth } from '@taskforge/common';
import { Router } from 'express';
import type { Pool } from 'pg';
import { checkTeamId } from '../contracts/shared';
import { toTeamResponse, updateTeamRoute, updateTeamRule } from '../contracts/teams';
import { updateTeam } from '../services/team-writes';

export function updateTeamRouter(deps: { pool: Pool; eventsRecorded: () => void }): Router {
  const router = Router();
  router.patch(
    updateTeamRoute.path,
    requireAuth,
    checkTeamId,
    updateTeamRule,
    handle(updateTeamRoute, async ({ body }, req, res) => {
      const access = await updateTeam(
        deps.pool,
        req.params.id as string,
        req.currentUser!.id,
        body,
        eventMetadataFrom(req),
      );
      deps.eventsRecorded();
      res.send(toTeamResponse(access));
    }),
  );
  return router;
}
