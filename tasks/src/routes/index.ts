import { requireAuth, sendPageHeaders } from '@taskforge/common';
import { Router } from 'express';
import { toTaskResponse } from '../models/task';
import { findTeamAccess } from '../services/authorization';
import { cursorAfter, findListPage, parseListQuery } from '../services/task-list';

/** A team's tasks, filtered and sorted, one keyset page at a time (`X-Next-Cursor`, `Link`). */
export function indexTaskRouter(): Router {
  const router = Router();
  router.get('/api/tasks', requireAuth, async (req, res) => {
    const userId = req.currentUser!.id;
    const query = parseListQuery(req.query as Record<string, unknown>);
    await findTeamAccess(query.teamId, userId);
    const tasks = await findListPage(query, userId, new Date());

    const page = sendPageHeaders(req, res, tasks, query.limit, (last) =>
      cursorAfter(query.sort, last),
    );
    res.send(page.map(toTaskResponse));
  });
  return router;
}
