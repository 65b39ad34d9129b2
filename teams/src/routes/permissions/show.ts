import { requireAuth } from '@taskforge/common';
import { Router } from 'express';
import type { Pool } from 'pg';
import { readAccess } from '../../services/team-access';
import { toPermissionsResponse } from '../responses';
import { teamIdParam } from '../validators';

/** What each role of the team may do; any member may read it. */
export function showPermissionsRouter(deps: { pool: Pool }): Router {
  const router = Router();
  router.get('/api/teams/:id/permissions', requireAuth, teamIdParam, async (req, res) => {
    const access = await readAccess(deps.pool, req.params.id as string, req.currentUser!.id);
    res.send(toPermissionsResponse(access));
  });
  return router;
}
