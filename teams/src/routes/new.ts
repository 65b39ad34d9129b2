import { eventMetadataFrom, handle, requireAuth } from '@taskforge/common';
import { Router } from 'express';
import type { Pool } from 'pg';
import { createTeamRoute, toTeamResponse } from '../contracts/teams';
import { createTeam } from '../services/team-writes';

export function newTeamRouter(deps: { pool: Pool; eventsRecorded: () => void }): Router {
  const router = Router();
  router.post(
    createTeamRoute.path,
    requireAuth,
    handle(createTeamRoute, async ({ body }, req, res) => {
      const access = await createTeam(deps.pool, body, req.currentUser!.id, eventMetadataFrom(req));
      deps.eventsRecorded();
      res.status(201).send(toTeamResponse(access));
    }),
  );
  return router;
}
