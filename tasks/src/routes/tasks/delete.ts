import { eventMetadataFrom, ForbiddenError, handle, requireAuth } from '@taskforge/common';
import { Router } from 'express';
import { deleteTask } from '../../contracts/tasks';
import { editTask, findTaskWithAccess, type TaskWriteDeps } from '../../services/task-writes';

export function deleteTaskRouter(deps: TaskWriteDeps): Router {
  const router = Router();
  router.delete(
    deleteTask.path,
    requireAuth,
    handle(deleteTask, async (_input, req, res) => {
      const id = req.params.id as string;
      const userId = req.currentUser!.id;
      await editTask(
        async () => {
          const { task, access } = await findTaskWithAccess(id, userId);
          const isCreator = task.creatorId === userId && access.role !== 'guest';
          if (access.role !== 'admin' && !isCreator) {
            throw new ForbiddenError('Only team admins and the task creator may delete a task');
          }
          return task;
        },
        (task, version) => {
          // A soft delete keeps the document, and with it the outbox, until the relay publishes.
          task.deletedAt = new Date();
          const { teamId, title, assigneeId, creatorId } = task;
          return [
            {
              subject: 'task.deleted',
              data: { id, version, teamId, title, assigneeId, creatorId },
            },
          ];
        },
        deps,
        eventMetadataFrom(req),
      );
      res.status(204).end();
    }),
  );
  return router;
}
