import { eventMetadataFrom, handle, requireAuth } from '@taskforge/common';
import { Router } from 'express';
import { toPermissionsResponse, updatePermissionsRoute } from '../../contracts/permissions';
import { setRolePermissions, type WriteDeps } from '../../services/team-writes';

/** Replaces the whole table of what each role may do (admins only). */
export function updatePermissionsRouter(deps: WriteDeps): Router {
  const router = Router();
  router.put(
    updatePermissionsRoute.path,
    requireAuth,
    handle(updatePermissionsRoute, async ({ body: { permissions } }, req, res) => {
      const access = await setRolePermissions(
        deps,
        req.params.id as string,
        req.currentUser!.id,
        permissions,
        eventMetadataFrom(req),
      );
      res.send(toPermissionsResponse(access));
    }),
  );
  return router;
}
