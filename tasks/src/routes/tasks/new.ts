import { eventMetadataFrom, handle, requireAuth } from '@taskforge/common';
import { Router } from 'express';
import { createTask } from '../../contracts/tasks';
import { PRIORITY_RANK, Task, taskEventData, weekOf } from '../../models/task';
import { assertPermission, requirePermission } from '../../services/authorization';
import {
  applyCompletion,
  assertAssignable,
  assertTicketKnown,
  editTask,
  endOfColumn,
  type TaskWriteDeps,
} from '../../services/task-writes';

export function newTaskRouter(deps: TaskWriteDeps): Router {
  const router = Router();
  router.post(
    createTask.path,
    requireAuth,
    handle(createTask, async ({ body: input }, req, res) => {
      const userId = req.currentUser!.id;
      const access = await assertPermission(input.teamId, userId, 'task.create');
      if (input.assigneeId) {
        requirePermission(access, 'task.assign');
        await assertAssignable(input.teamId, input.assigneeId);
      }
      await assertTicketKnown(input.ticketId);

      const now = new Date();
      const position = input.position ?? (await endOfColumn(input.teamId, input.status));
      const { response } = await editTask(
        async () =>
          new Task({
            teamId: input.teamId,
            title: input.title,
            description: input.description ?? '',
            status: input.status,
            priority: input.priority,
            priorityRank: PRIORITY_RANK[input.priority],
            assigneeId: input.assigneeId ?? null,
            creatorId: userId,
            dueDate: input.dueDate ?? null,
            tags: input.tags ?? [],
            customFields: input.customFields ?? {},
            ticketId: input.ticketId ?? null,
            position,
            createdAt: now,
            createdWeek: weekOf(now),
          }),
        (task, version) => {
          applyCompletion(task, now);
          return [{ subject: 'task.created', data: taskEventData(task, version) }];
        },
        deps,
        eventMetadataFrom(req),
      );
      res.status(201).send(response);
    }),
  );
  return router;
}
