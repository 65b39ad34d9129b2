import { handle, requireAuth } from '@taskforge/common';
import { Router } from 'express';
import type { Pool } from 'pg';
import { showTeamRoute, toTeamResponse } from '../../contracts/teams';
import { readAccess } from '../../services/team-access';

export function showTeamRouter(deps: { pool: Pool }): Router {
  const router = Router();
  router.get(
    showTeamRoute.path,
    requireAuth,
    handle(showTeamRoute, async (_input, req, res) => {
      const access = await readAccess(deps.pool, req.params.id as string, req.currentUser!.id);
      res.send(toTeamResponse(access));
    }),
  );
  return router;
}
