import { requireAuth, validateRequest } from '@taskforge/common';
import { Router } from 'express';
import type { Pool } from 'pg';
import { listTeamsOf } from '../db/memberships';
import { pageQuery, requestedPage, sendPage } from './pagination';
import { toTeamListItem } from './responses';
import { isTeamId } from './validators';

/** The teams the signed-in user belongs to, with their role, most recently joined first. */
export function indexTeamRouter(deps: { pool: Pool }): Router {
  const router = Router();
  router.get(
    '/api/teams',
    requireAuth,
    ...pageQuery(isTeamId),
    validateRequest,
    async (req, res) => {
      const { limit, after } = requestedPage(req, isTeamId);
      const rows = await listTeamsOf(deps.pool, req.currentUser!.id, { limit: limit + 1, after });
      const page = sendPage(req, res, rows, limit, (team) => ({ at: team.joinedAt, id: team.id }));
      res.send(page.map(toTeamListItem));
    },
  );
  return router;
}
