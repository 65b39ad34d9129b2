import { eventMetadataFrom, handle, requireAuth } from '@taskforge/common';
import { Router } from 'express';
import { addMemberRoute, toMemberResponse } from '../../contracts/members';
import { addMember, type MemberTarget } from '../../services/membership-writes';
import type { WriteDeps } from '../../services/team-writes';

export function newMemberRouter(deps: WriteDeps): Router {
  const router = Router();
  router.post(
    addMemberRoute.path,
    requireAuth,
    handle(addMemberRoute, async ({ body: { email, userId, role } }, req, res) => {
      const target: MemberTarget = email !== undefined ? { email } : { userId: userId! };
      const { membership, user } = await addMember(
        deps,
        req.params.id as string,
        req.currentUser!.id,
        target,
        role,
        eventMetadataFrom(req),
      );
      res.status(201).send(toMemberResponse(membership, user));
    }),
  );
  return router;
}
