import {
  BadRequestError,
  eventMetadataFrom,
  ForbiddenError,
  handle,
  NotFoundError,
  recordEvent,
  requireAuth,
  retryOnConflict,
} from '@taskforge/common';
import { Router } from 'express';
import { confirmUpload } from '../contracts/attachments';
import { taskEventData, toTaskResponse, type Attachment } from '../models/task';
import { requirePermission } from '../services/authorization';
import type { AttachmentStorage } from '../services/storage';
import {
  afterTaskWrite,
  diff,
  findTaskWithAccess,
  snapshot,
  type TaskWriteDeps,
} from '../services/task-writes';
import { MAX_ATTACHMENTS_PER_TASK, type PendingUploads } from '../services/uploads';

/**
 * Step two: the file is in storage. Its real size and type must be what was signed for; then
 * the attachment is recorded (`task.updated` keeps the task's version chain gapless for
 * consumers of `task.*`, `attachment.added` tells who cares about files).
 */
export function confirmAttachmentRouter(
  deps: TaskWriteDeps & { storage: AttachmentStorage; uploads: PendingUploads },
): Router {
  const router = Router();
  router.post(
    confirmUpload.path,
    requireAuth,
    handle(confirmUpload, async (_input, req, res) => {
      const userId = req.currentUser!.id;
      const id = req.params.id as string;
      const uploadId = req.params.attachmentId as string;
      const { task: found, access } = await findTaskWithAccess(id, userId);
      requirePermission(access, 'task.update');
      const existing = found.attachments.find((a) => a.id === uploadId);
      if (existing) {
        // A repeated confirm (the first answer was lost) gets the same answer.
        res.status(201).send(toTaskResponse(found).attachments.find((a) => a.id === uploadId));
        return;
      }
      const upload = await deps.uploads.find(uploadId);
      if (!upload || upload.taskId !== found._id.toString())
        throw new NotFoundError('Upload not found');
      if (upload.userId !== userId)
        throw new ForbiddenError('Only the uploader may confirm an upload');

      const stored = await deps.storage.head(upload.storageKey);
      if (!stored) throw new BadRequestError('The file has not been uploaded yet');
      if (stored.size !== upload.size || stored.contentType !== upload.mimetype) {
        await deps.storage.remove(upload.storageKey);
        await deps.uploads.remove(uploadId);
        throw new BadRequestError(
          'The uploaded file does not match its size or type; upload it again',
        );
      }

      const attachment: Attachment = {
        id: uploadId,
        name: upload.name,
        size: upload.size,
        mimetype: upload.mimetype,
        storageKey: upload.storageKey,
        uploadedAt: new Date(),
        uploadedBy: userId,
      };
      const { task, events } = await retryOnConflict(async () => {
        const { task } = await findTaskWithAccess(id, userId);
        // A concurrent confirm of the same upload got here first.
        if (task.attachments.some((a) => a.id === uploadId)) return { task, events: [] };
        if (task.attachments.length >= MAX_ATTACHMENTS_PER_TASK) {
          throw new BadRequestError(`A task holds at most ${MAX_ATTACHMENTS_PER_TASK} attachments`);
        }
        const before = snapshot(task);
        task.attachments.push(attachment);
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
            'attachment.added',
            {
              id: uploadId,
              taskId: id,
              teamId: task.teamId,
              version,
              name: attachment.name,
              size: attachment.size,
              mimetype: attachment.mimetype,
              uploadedBy: userId,
            },
            metadata,
          ),
        ];
        await task.save();
        return { task, events };
      });
      await deps.uploads.remove(uploadId);
      if (events.length > 0) await afterTaskWrite(task, events, deps);
      res.status(201).send(toTaskResponse(task).attachments.find((a) => a.id === uploadId));
    }),
  );
  return router;
}
