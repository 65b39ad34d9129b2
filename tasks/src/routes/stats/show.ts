import { handle, requireAuth } from '@taskforge/common';
import { Router } from 'express';
import { showStats } from '../../contracts/stats';
import { findTeamAccess } from '../../services/authorization';
import type { StatsCache } from '../../services/stats-cache';

export function showStatsRouter(deps: { stats: StatsCache }): Router {
  const router = Router();
  router.get(
    showStats.path,
    requireAuth,
    handle(showStats, async ({ query: { teamId } }, req, res) => {
      await findTeamAccess(teamId, req.currentUser!.id);
      res.send(await deps.stats.get(teamId, new Date()));
    }),
  );
  return router;
}
