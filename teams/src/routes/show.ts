import { requireAuth } from '@taskforge/common';
import { Router } from 'express';
import type { Pool } from 'pg';
import { readAccess } from '../services/team-access';
import { toTeamResponse } from './responses';
import { teamIdParam } from './validators';

export function showTeamRouter(deps: { pool: Pool }): Router {
  const router = Router();
  router.get('/api/teams/:id', requireAuth, teamIdParam, async (req, res) => {
    const access = await readAccess(deps.pool, req.params.id as string, req.currentUser!.id);
    res.send(toTeamResponse(access));
  });
  return router;
}
