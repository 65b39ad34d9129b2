import { eventMetadataFrom, handle, requireAuth } from '@taskforge/common';
import { Router } from 'express';
import type { Pool } from 'pg';
import { toPermissionsResponse, updatePermissionsRoute } from '../../contracts/permissions';
import { checkTeamId } from '../../contracts/shared';
import { setRolePermissions } from '../../services/team-writes';

/** Replaces the whole table of what each role may do (admins only). */
export function updatePermissionsRouter(deps: { pool: Pool; eventsRecorded: () => void }): Router {
  const router = Router();
  router.put(
    updatePermissionsRoute.path,
    requireAuth,
    checkTeamId,
    handle(updatePermissionsRoute, async ({ body: { permissions } }, req, res) => {
      const access = await setRolePermissions(
        deps.pool,
        req.params.id as string,
        req.currentUser!.id,
        permissions,
        eventMetadataFrom(req),
      );
      deps.eventsRecorded();
      res.send(toPermissionsResponse(access));
    }),
  );
  return router;
}
