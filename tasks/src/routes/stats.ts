import { requireAuth, validateRequest } from '@taskforge/common';
import { Router } from 'express';
import { query } from 'express-validator';
import { findTeamAccess } from '../services/authorization';
import type { StatsCache } from '../services/stats-cache';
import { ID_PATTERN } from './validators';

export function statsTaskRouter(deps: { stats: StatsCache }): Router {
  const router = Router();
  router.get(
    '/api/tasks/stats',
    requireAuth,
    query('teamId')
      .custom((value) => typeof value === 'string' && ID_PATTERN.test(value))
      .withMessage('teamId is required'),
    validateRequest,
    async (req, res) => {
      const teamId = req.query.teamId as string;
      await findTeamAccess(teamId, req.currentUser!.id);
      res.send(await deps.stats.get(teamId, new Date()));
    },
  );
  return router;
}
