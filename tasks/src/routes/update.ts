import {
  ConflictError,
  eventMetadataFrom,
  recordEvent,
  requireAuth,
  validateRequest,
  withDocumentLock,
} from '@taskforge/common';
import { Router } from 'express';
import { taskEventData, taskWriteKey, toTaskResponse } from '../models/task';
import {
  afterTaskWrite,
  applyTaskInput,
  diff,
  findTaskWithAccess,
  snapshot,
  type TaskWriteDeps,
} from '../services/task-writes';
import { taskFields, versionField, type TaskInput } from './validators';

export const STALE_MESSAGE = 'The task was changed by another request; reload and retry';

export function updateTaskRouter(deps: TaskWriteDeps): Router {
  const router = Router();
  router.patch(
    '/api/tasks/:id',
    requireAuth,
    ...taskFields({ creating: false }),
    versionField(),
    validateRequest,
    async (req, res) => {
      const { version, ...input } = req.body as TaskInput & { version?: number };
      const id = req.params.id as string;
      // Read, check and save in turn with this pod's other writes of the task; across pods the
      // version check of the save answers 409 instead of losing an update.
      const { task, events } = await withDocumentLock(taskWriteKey(id), async () => {
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
    },
  );
  return router;
}
