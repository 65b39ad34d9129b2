import { eventMetadataFrom, handle, requireAuth } from '@taskforge/common';
import { Router } from 'express';
import { toMemberResponse, updateMemberRoute } from '../../contracts/members';
import { changeMemberRole } from '../../services/membership-writes';
import type { WriteDeps } from '../../services/team-writes';

export function updateMemberRouter(deps: WriteDeps): Router {
  const router = Router();
  router.patch(
    updateMemberRoute.path,
    requireAuth,
    handle(updateMemberRoute, async ({ body: { role } }, req, res) => {
      const { membership, user } = await changeMemberRole(
        deps,
        req.params.id as string,
        req.currentUser!.id,
        req.params.userId as string,
        role,
        eventMetadataFrom(req),
      );
      res.send(toMemberResponse(membership, user));
    }),
  );
  return router;
}
