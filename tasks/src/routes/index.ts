import { requireAuth } from '@taskforge/common';
import { Router, type Request } from 'express';
import { Task, toTaskResponse, type TaskAttrs } from '../models/task';
import { findTeamAccess } from '../services/authorization';
import {
  cursorAfter,
  listFilter,
  parseListQuery,
  parseSort,
  SORT_FIELDS,
} from '../services/task-list';

function nextPageLink(req: Request, cursor: string): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(req.query)) {
    if (key !== 'cursor' && typeof value === 'string') params.set(key, value);
  }
  params.set('cursor', cursor);
  return `${req.baseUrl}${req.path}?${params.toString()}`;
}

/** A team's tasks, filtered and sorted, one keyset page at a time (`X-Next-Cursor`, `Link`). */
export function indexTaskRouter(): Router {
  const router = Router();
  router.get('/api/tasks', requireAuth, async (req, res) => {
    const userId = req.currentUser!.id;
    const query = parseListQuery(req.query as Record<string, unknown>);
    await findTeamAccess(query.teamId, userId);
    const sort = parseSort(query.sort);
    const tasks = await Task.find(listFilter(query, userId, new Date()))
      .sort({ [SORT_FIELDS[sort.field]]: sort.direction, _id: sort.direction })
      .limit(query.limit + 1)
      .select({ outbox: 0 })
      .lean<Array<TaskAttrs & { _id: unknown }>>();

    const page = tasks.slice(0, query.limit);
    const last = page[page.length - 1];
    if (tasks.length > query.limit && last) {
      const cursor = cursorAfter(query.sort, last);
      res.set('X-Next-Cursor', cursor);
      res.set('Link', `<${nextPageLink(req, cursor)}>; rel="next"`);
    }
    res.set('Access-Control-Expose-Headers', 'Link, X-Next-Cursor');
    res.send(page.map(toTaskResponse));
  });
  return router;
}
