import { eventMetadataFrom, recordEvent, requireAuth, validateRequest } from '@taskforge/common';
import { Router } from 'express';
import { body } from 'express-validator';
import { PRIORITY_RANK, Task, taskEventData, toTaskResponse, weekOf } from '../models/task';
import { assertPermission, requirePermission } from '../services/authorization';
import {
  afterTaskWrite,
  applyCompletion,
  assertAssignable,
  assertTicketKnown,
  endOfColumn,
  type TaskWriteDeps,
} from '../services/task-writes';
import { parseIsoDate } from '../services/dates';
import { ID_PATTERN, taskFields, type TaskInput } from './validators';

export function newTaskRouter(deps: TaskWriteDeps): Router {
  const router = Router();
  router.post(
    '/api/tasks',
    requireAuth,
    body('teamId')
      .custom((value) => typeof value === 'string' && ID_PATTERN.test(value))
      .withMessage('teamId is required'),
    ...taskFields({ creating: true }),
    validateRequest,
    async (req, res) => {
      const input = req.body as TaskInput & { teamId: string; title: string };
      const userId = req.currentUser!.id;
      const access = await assertPermission(input.teamId, userId, 'task.create');
      if (input.assigneeId) {
        requirePermission(access, 'task.assign');
        await assertAssignable(input.teamId, input.assigneeId);
      }
      await assertTicketKnown(input.ticketId);

      const now = new Date();
      const status = input.status ?? 'todo';
      const priority = input.priority ?? 'medium';
      const task = new Task({
        teamId: input.teamId,
        title: input.title,
        description: input.description ?? '',
        status,
        priority,
        priorityRank: PRIORITY_RANK[priority],
        assigneeId: input.assigneeId ?? null,
        creatorId: userId,
        dueDate: input.dueDate ? parseIsoDate(input.dueDate) : null,
        tags: input.tags ?? [],
        customFields: input.customFields ?? {},
        ticketId: input.ticketId ?? null,
        position: input.position ?? (await endOfColumn(input.teamId, status)),
        createdAt: now,
        createdWeek: weekOf(now),
      });
      applyCompletion(task, now);
      const event = recordEvent(
        task,
        'task.created',
        taskEventData(task, 0),
        eventMetadataFrom(req),
      );
      await task.save();
      await afterTaskWrite(task, [event], deps);
      res.status(201).send(toTaskResponse(task));
    },
  );
  return router;
}
