import { eventMetadataFrom, requireAuth, validateRequest, type Role } from '@taskforge/common';
import { Router } from 'express';
import { matchedData } from 'express-validator';
import type { Pool } from 'pg';
import { changeMemberRole } from '../../services/membership-writes';
import { toMemberResponse } from '../responses';
import { roleField, teamIdParam, userIdParam } from '../validators';

export function updateMemberRouter(deps: { pool: Pool; eventsRecorded: () => void }): Router {
  const router = Router();
  router.patch(
    '/api/teams/:id/members/:userId',
    requireAuth,
    teamIdParam,
    userIdParam,
    roleField({ optional: false }),
    validateRequest,
    async (req, res) => {
      const { role } = matchedData<{ role: Role }>(req, { locations: ['body'] });
      const { membership, user } = await changeMemberRole(
        deps.pool,
        req.params.id as string,
        req.currentUser!.id,
        req.params.userId as string,
        role,
        eventMetadataFrom(req),
      );
      deps.eventsRecorded();
      res.send(toMemberResponse(membership, user));
    },
  );
  return router;
}
