import { handle, requireAuth, sendPageHeaders } from '@taskforge/common';
import { Router } from 'express';
import { listTasks } from '../../contracts/tasks';
import { toTaskResponse } from '../../models/task';
import { findTeamAccess } from '../../services/authorization';
import { cursorAfter, findListPage } from '../../services/task-list';

/** A team's tasks, filtered and sorted, one keyset page at a time (`X-Next-Cursor`, `Link`). */
export function indexTaskRouter(): Router {
  const router = Router();
  router.get(
    listTasks.path,
    requireAuth,
    handle(listTasks, async ({ query }, req, res) => {
      const userId = req.currentUser!.id;
      await findTeamAccess(query.teamId, userId);
      const tasks = await findListPage(query, userId, new Date());

      const page = sendPageHeaders(req, res, tasks, query.limit, (last) =>
        cursorAfter(query.sort, last),
      );
      res.send(page.map(toTaskResponse));
    }),
  );
  return router;
}
