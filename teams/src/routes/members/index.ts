import { requireAuth, validateRequest } from '@taskforge/common';
import { Router } from 'express';
import type { Pool } from 'pg';
import { listMembers } from '../../db/memberships';
import { readAccess } from '../../services/team-access';
import { pageQuery, requestedPage, sendPage } from '../pagination';
import { toMemberResponse } from '../responses';
import { isUserId, teamIdParam } from '../validators';

/** A team's current members, in the order they joined; any member may list them. */
export function indexMemberRouter(deps: { pool: Pool }): Router {
  const router = Router();
  router.get(
    '/api/teams/:id/members',
    requireAuth,
    teamIdParam,
    ...pageQuery(isUserId),
    validateRequest,
    async (req, res) => {
      const { team } = await readAccess(deps.pool, req.params.id as string, req.currentUser!.id);
      const { limit, after } = requestedPage(req, isUserId);
      const rows = await listMembers(deps.pool, team.id, { limit: limit + 1, after });
      const page = sendPage(req, res, rows, limit, (m) => ({ at: m.joinedAt, id: m.userId }));
      res.send(page.map((member) => toMemberResponse(member, member)));
    },
  );
  return router;
}
