import { ConflictError, eventMetadataFrom, handle, requireAuth } from '@taskforge/common';
import { Router } from 'express';
import { updateTask } from '../../contracts/tasks';
import type { TeamAccess } from '../../services/authorization';
import {
  applyTaskInput,
  editTask,
  findTaskWithAccess,
  taskUpdated,
  type TaskWriteDeps,
} from '../../services/task-writes';

export const STALE_MESSAGE = 'The task was changed by another request; reload and retry';

export function updateTaskRouter(deps: TaskWriteDeps): Router {
  const router = Router();
  router.patch(
    updateTask.path,
    requireAuth,
    handle(updateTask, async ({ body: { version, ...input } }, req, res) => {
      const id = req.params.id as string;
      // The access read with the task: each try (after another request's write) reads both again.
      let access: TeamAccess;
      const { response } = await editTask(
        async () => {
          const found = await findTaskWithAccess(id, req.currentUser!.id);
          // A stated `version` that is no longer current is a conflict, also after a retry.
          if (version !== undefined && version !== found.task.version) {
            throw new ConflictError(STALE_MESSAGE);
          }
          access = found.access;
          return found.task;
        },
        async (task, nextVersion) => {
          const changes = await applyTaskInput(task, input, access, new Date());
          return Object.keys(changes).length > 0 ? [taskUpdated(task, nextVersion, changes)] : [];
        },
        deps,
        eventMetadataFrom(req),
      );
      res.send(response);
    }),
  );
  return router;
}
