import { handle, isObjectId, NotFoundError, requireAuth, type Logger } from '@taskforge/common';
import { Router } from 'express';
import { showTask, type TaskResponse } from '../../contracts/tasks';
import { findTask, toTaskResponse } from '../../models/task';
import { findTeamAccess } from '../../services/authorization';
import type { TaskCache } from '../../services/task-cache';

/** Cache-aside read: the cache when it has the task, else the database (then cached). */
export async function loadTask(
  id: string,
  cache: TaskCache,
  logger: Logger,
): Promise<TaskResponse> {
  if (!isObjectId(id)) throw new NotFoundError('Task not found');
  const cached = await cache.get(id).catch((err: unknown) => {
    logger.warn({ err }, 'task cache unavailable; reading the database');
    return { state: 'unavailable' as const };
  });
  if (cached.state === 'hit') return cached.task;
  if (cached.state === 'deleted') throw new NotFoundError('Task not found');
  const task = await findTask(id);
  if (!task) throw new NotFoundError('Task not found');
  const response = toTaskResponse(task);
  if (cached.state === 'miss') {
    // Refused when a newer version is cached already: see TaskCache.
    await cache.store(response).catch((err: unknown) => logger.warn({ err }, 'task not cached'));
  }
  return response;
}

export function showTaskRouter(deps: { cache: TaskCache; logger: Logger }): Router {
  const router = Router();
  router.get(
    showTask.path,
    requireAuth,
    handle(showTask, async (_input, req, res) => {
      const task = await loadTask(req.params.id as string, deps.cache, deps.logger);
      await findTeamAccess(task.teamId, req.currentUser!.id, 'Task not found');
      res.send(task);
    }),
  );
  return router;
}
