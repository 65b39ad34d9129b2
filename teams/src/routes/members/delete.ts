import { eventMetadataFrom, handle, requireAuth } from '@taskforge/common';
import { Router } from 'express';
import { removeMemberRoute } from '../../contracts/members';
import { removeMember } from '../../services/membership-writes';
import type { WriteDeps } from '../../services/team-writes';

/** Removes a member, or (their own user id) lets a member leave. */
export function deleteMemberRouter(deps: WriteDeps): Router {
  const router = Router();
  router.delete(
    removeMemberRoute.path,
    requireAuth,
    handle(removeMemberRoute, async (_input, req, res) => {
      await removeMember(
        deps,
        req.params.id as string,
        req.currentUser!.id,
        req.params.userId as string,
        eventMetadataFrom(req),
      );
      res.status(204).end();
    }),
  );
  return router;
}
