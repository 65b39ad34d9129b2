import { eventMetadataFrom, handle, requireAuth } from '@taskforge/common';
import { Router } from 'express';
import type { Pool } from 'pg';
import { removeMemberRoute } from '../../contracts/members';
import { checkTeamId, checkUserId } from '../../contracts/shared';
import { removeMember } from '../../services/membership-writes';

/** Removes a member, or (their own user id) lets a member leave. */
export function deleteMemberRouter(deps: { pool: Pool; eventsRecorded: () => void }): Router {
  const router = Router();
  router.delete(
    removeMemberRoute.path,
    requireAuth,
    checkTeamId,
    checkUserId,
    handle(removeMemberRoute, async (_input, req, res) => {
      await removeMember(
        deps.pool,
        req.params.id as string,
        req.currentUser!.id,
        req.params.userId as string,
        eventMetadataFrom(req),
      );
      deps.eventsRecorded();
      res.status(204).end();
    }),
  );
  return router;
}
