import {
  eventMetadataFrom,
  ForbiddenError,
  handle,
  recordEvent,
  requireAuth,
  retryOnConflict,
} from '@taskforge/common';
import { Router } from 'express';
import { deleteTask } from '../contracts/tasks';
import { afterTaskWrite, findTaskWithAccess, type TaskWriteDeps } from '../services/task-writes';

export function deleteTaskRouter(deps: TaskWriteDeps): Router {
  const router = Router();
  router.delete(
    deleteTask.path,
    requireAuth,
    handle(deleteTask, async (_input, req, res) => {
      const id = req.params.id as string;
      const userId = req.currentUser!.id;
      const task = await retryOnConflict(async () => {
        const { task, access } = await findTaskWithAccess(id, userId);
        const isCreator = task.creatorId === userId && access.role !== 'guest';
        if (access.role !== 'admin' && !isCreator) {
          throw new ForbiddenError('Only team admins and the task creator may delete a task');
        }
        // A soft delete keeps the document, and with it the outbox, until the relay publishes.
        task.deletedAt = new Date();
        recordEvent(
          task,
          'task.deleted',
          {
            id,
            version: task.version + 1,
            teamId: task.teamId,
            title: task.title,
            assigneeId: task.assigneeId,
            creatorId: task.creatorId,
          },
          eventMetadataFrom(req),
        );
        await task.save();
        return task;
      });
      await afterTaskWrite(task, [], deps);
      res.status(204).end();
    }),
  );
  return router;
}
