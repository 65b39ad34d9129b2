import {
  ConflictError,
  eventMetadataFrom,
  handle,
  recordEvent,
  requireAuth,
  retryOnConflict,
} from '@taskforge/common';
import { Router } from 'express';
import { updateTask } from '../contracts/tasks';
import { taskEventData, toTaskResponse } from '../models/task';
import {
  afterTaskWrite,
  applyTaskInput,
  diff,
  findTaskWithAccess,
  snapshot,
  type TaskWriteDeps,
} from '../services/task-writes';

export const STALE_MESSAGE = 'The task was changed by another request; reload and retry';

export function updateTaskRouter(deps: TaskWriteDeps): Router {
  const router = Router();
  router.patch(
    updateTask.path,
    requireAuth,
    handle(updateTask, async ({ body: { version, ...input } }, req, res) => {
      const id = req.params.id as string;
      // The save is guarded by the version it read: a concurrent write of the task, in this pod
      // or another, makes it read again and apply the input on top (a stated `version` that is
      // no longer current answers 409 then).
      const { task, events } = await retryOnConflict(async () => {
        const { task, access } = await findTaskWithAccess(id, req.currentUser!.id);
        if (version !== undefined && version !== task.version) {
          throw new ConflictError(STALE_MESSAGE);
        }
        const before = snapshot(task);
        if (!(await applyTaskInput(task, input, access, new Date()))) return { task, events: [] };
        const event = recordEvent(
          task,
          'task.updated',
          { ...taskEventData(task, task.version + 1), changes: diff(before, snapshot(task)) },
          eventMetadataFrom(req),
        );
        await task.save();
        return { task, events: [event] };
      });
      if (events.length > 0) await afterTaskWrite(task, events, deps);
      res.send(toTaskResponse(task));
    }),
  );
  return router;
}
