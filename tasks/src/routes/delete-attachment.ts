import {
  eventMetadataFrom,
  handle,
  NotFoundError,
  recordEvent,
  requireAuth,
  retryOnConflict,
} from '@taskforge/common';
import { Router } from 'express';
import { deleteAttachment } from '../contracts/attachments';
import { taskEventData } from '../models/task';
import { requirePermission } from '../services/authorization';
import type { AttachmentStorage } from '../services/storage';
import {
  afterTaskWrite,
  diff,
  findTaskWithAccess,
  snapshot,
  type TaskWriteDeps,
} from '../services/task-writes';

export function deleteAttachmentRouter(
  deps: TaskWriteDeps & { storage: AttachmentStorage },
): Router {
  const router = Router();
  router.delete(
    deleteAttachment.path,
    requireAuth,
    handle(deleteAttachment, async (_input, req, res) => {
      const id = req.params.id as string;
      const userId = req.currentUser!.id;
      const { task, events, removed } = await retryOnConflict(async () => {
        const { task, access } = await findTaskWithAccess(id, userId);
        requirePermission(access, 'task.update');
        const removed = task.attachments.find((a) => a.id === req.params.attachmentId);
        if (!removed) throw new NotFoundError('Attachment not found');
        const before = snapshot(task);
        task.set(
          'attachments',
          task.attachments.filter((a) => a.id !== removed.id),
        );
        const version = task.version + 1;
        const metadata = eventMetadataFrom(req);
        const events = [
          recordEvent(
            task,
            'task.updated',
            { ...taskEventData(task, version), changes: diff(before, snapshot(task)) },
            metadata,
          ),
          recordEvent(
            task,
            'attachment.removed',
            {
              id: removed.id,
              taskId: id,
              teamId: task.teamId,
              version,
              name: removed.name,
              size: removed.size,
              mimetype: removed.mimetype,
              uploadedBy: removed.uploadedBy,
            },
            metadata,
          ),
        ];
        await task.save();
        return { task, events, removed };
      });
      await afterTaskWrite(task, events, deps);
      // The record goes first: a failed object delete leaves an unreachable file, never a record
      // pointing at nothing.
      await deps.storage.remove(removed.storageKey).catch((err: unknown) => {
        deps.logger.warn(
          { err, key: removed.storageKey },
          'attachment file not removed from storage',
        );
      });
      res.status(204).end();
    }),
  );
  return router;
}
