import { handle, requireAuth } from '@taskforge/common';
import { Router } from 'express';
import type { Pool } from 'pg';
import { showPermissionsRoute, toPermissionsResponse } from '../../contracts/permissions';
import { readAccess } from '../../services/team-access';

/** What each role of the team may do; any member may read it. */
export function showPermissionsRouter(deps: { pool: Pool }): Router {
  const router = Router();
  router.get(
    showPermissionsRoute.path,
    requireAuth,
    handle(showPermissionsRoute, async (_input, req, res) => {
      const access = await readAccess(deps.pool, req.params.id as string, req.currentUser!.id);
      res.send(toPermissionsResponse(access));
    }),
  );
  return router;
}
