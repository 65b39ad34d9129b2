import { eventMetadataFrom, handle, NotFoundError, requireAuth } from '@taskforge/common';
import { Router } from 'express';
import { deleteAttachment } from '../../contracts/attachments';
import type { Attachment } from '../../models/task';
import { requirePermission } from '../../services/authorization';
import type { AttachmentStorage } from '../../services/storage';
import {
  changeAttachments,
  editTask,
  findTaskWithAccess,
  type TaskWriteDeps,
} from '../../services/task-writes';

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
      let removed: Attachment | undefined;
      await editTask(
        async () => {
          const { task, access } = await findTaskWithAccess(id, userId);
          requirePermission(access, 'task.update');
          return task;
        },
        (task, version) => {
          removed = task.attachments.find((a) => a.id === req.params.attachmentId);
          if (!removed) throw new NotFoundError('Attachment not found');
          return changeAttachments(task, version, 'removed', removed);
        },
        deps,
        eventMetadataFrom(req),
      );
      const { storageKey } = removed!;
      // The record goes first: a failed object delete leaves an unreachable file, never a record
      // pointing at nothing.
      await deps.storage.remove(storageKey).catch((err: unknown) => {
        deps.logger.warn({ err, key: storageKey }, 'attachment file not removed from storage');
      });
      res.status(204).end();
    }),
  );
  return router;
}
