import { encodeTimeCursor, handle, requireAuth, sendPageHeaders } from '@taskforge/common';
import { Router } from 'express';
import type { Pool } from 'pg';
import { listMembersRoute, toMemberResponse } from '../../contracts/members';
import { listMembers } from '../../models/memberships';
import { readAccess } from '../../services/team-access';

/** A team's current members, in the order they joined; any member may list them. */
export function indexMemberRouter(deps: { pool: Pool }): Router {
  const router = Router();
  router.get(
    listMembersRoute.path,
    requireAuth,
    handle(listMembersRoute, async ({ query: { limit, cursor } }, req, res) => {
      const { team } = await readAccess(deps.pool, req.params.id as string, req.currentUser!.id);
      const rows = await listMembers(deps.pool, team.id, { limit: limit + 1, after: cursor });
      const page = sendPageHeaders(req, res, rows, limit, (member) =>
        encodeTimeCursor({ at: member.joinedAt, id: member.userId }),
      );
      res.send(page.map((member) => toMemberResponse(member, member)));
    }),
  );
  return router;
}
