import { eventMetadataFrom, handle, requireAuth } from '@taskforge/common';
import { Router } from 'express';
import type { Pool } from 'pg';
import { toMemberResponse, updateMemberRoute } from '../../contracts/members';
import { checkTeamId, checkUserId } from '../../contracts/shared';
import { changeMemberRole } from '../../services/membership-writes';

export function updateMemberRouter(deps: { pool: Pool; eventsRecorded: () => void }): Router {
  const router = Router();
  router.patch(
    updateMemberRoute.path,
    requireAuth,
    checkTeamId,
    checkUserId,
    handle(updateMemberRoute, async ({ body: { role } }, req, res) => {
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
    }),
  );
  return router;
}
