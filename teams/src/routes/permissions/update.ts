import {
  eventMetadataFrom,
  requireAuth,
  validateRequest,
  type Permission,
  type Role,
} from '@taskforge/common';
import { Router } from 'express';
import { matchedData } from 'express-validator';
import type { Pool } from 'pg';
import { setRolePermissions } from '../../services/team-writes';
import { toPermissionsResponse } from '../responses';
import { permissionsField, teamIdParam, toRolePermissions } from '../validators';

/** Replaces the whole table of what each role may do (admins only). */
export function updatePermissionsRouter(deps: { pool: Pool; eventsRecorded: () => void }): Router {
  const router = Router();
  router.put(
    '/api/teams/:id/permissions',
    requireAuth,
    teamIdParam,
    ...permissionsField(),
    validateRequest,
    async (req, res) => {
      const { permissions } = matchedData<{ permissions: Record<Role, Permission[]> }>(req, {
        locations: ['body'],
      });
      const access = await setRolePermissions(
        deps.pool,
        req.params.id as string,
        req.currentUser!.id,
        toRolePermissions(permissions),
        eventMetadataFrom(req),
      );
      deps.eventsRecorded();
      res.send(toPermissionsResponse(access));
    },
  );
  return router;
}
