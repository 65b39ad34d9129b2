import { encodeTimeCursor, handle, requireAuth, sendPageHeaders } from '@taskforge/common';
import { Router } from 'express';
import type { Pool } from 'pg';
import { listTeamsRoute, toTeamListItem } from '../../contracts/teams';
import { listTeamsOf } from '../../models/memberships';

/** The teams the signed-in user belongs to, with their role, most recently joined first. */
export function indexTeamRouter(deps: { pool: Pool }): Router {
  const router = Router();
  router.get(
    listTeamsRoute.path,
    requireAuth,
    handle(listTeamsRoute, async ({ query: { limit, cursor } }, req, res) => {
      const rows = await listTeamsOf(deps.pool, req.currentUser!.id, {
        limit: limit + 1,
        after: cursor,
      });
      const page = sendPageHeaders(req, res, rows, limit, (team) =>
        encodeTimeCursor({ at: team.joinedAt, id: team.id }),
      );
      res.send(page.map(toTeamListItem));
    }),
  );
  return router;
}
