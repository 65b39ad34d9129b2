import { eventMetadataFrom, handle, requireAuth } from '@taskforge/common';
import { Router } from 'express';
import type { Pool } from 'pg';
import { addMemberRoute, addMemberRule, toMemberResponse } from '../../contracts/members';
import { checkTeamId } from '../../contracts/shared';
import { addMember, type MemberTarget } from '../../services/membership-writes';

export function newMemberRouter(deps: { pool: Pool; eventsRecorded: () => void }): Router {
  const router = Router();
  router.post(
    addMemberRoute.path,
    requireAuth,
    checkTeamId,
    addMemberRule,
    handle(addMemberRoute, async ({ body: { email, userId, role } }, req, res) => {
      const target: MemberTarget = email !== undefined ? { email } : { userId: userId! };
      const { membership, user } = await addMember(
        deps.pool,
        req.params.id as string,
        req.currentUser!.id,
        target,
        role,
        eventMetadataFrom(req),
      );
      deps.eventsRecorded();
      res.status(201).send(toMemberResponse(membership, user));
    }),
  );
  return router;
}
