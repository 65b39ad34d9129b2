import {
  BadRequestError,
  eventMetadataFrom,
  ForbiddenError,
  handle,
  NotFoundError,
  requireAuth,
} from '@taskforge/common';
import { Router } from 'express';
import { confirmUpload } from '../../contracts/attachments';
import { toTaskResponse, type Attachment } from '../../models/task';
import { requirePermission } from '../../services/authorization';
import type { AttachmentStorage } from '../../services/storage';
import {
  changeAttachments,
  editTask,
  findTaskWithAccess,
  type TaskWriteDeps,
} from '../../services/task-writes';
import { MAX_ATTACHMENTS_PER_TASK, type PendingUploads } from '../../services/uploads';

/**
 * Step two: the file is in storage. Its real size and type must be what was signed for; then
 * the attachment is recorded (`changeAttachments`).
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
      const { response } = await editTask(
        async () => (await findTaskWithAccess(id, userId)).task,
        (task, version) => {
          // A concurrent confirm of the same upload got here first.
          if (task.attachments.some((a) => a.id === uploadId)) return [];
          if (task.attachments.length >= MAX_ATTACHMENTS_PER_TASK) {
            throw new BadRequestError(
              `A task holds at most ${MAX_ATTACHMENTS_PER_TASK} attachments`,
            );
          }
          return changeAttachments(task, version, 'added', attachment);
        },
        deps,
        eventMetadataFrom(req),
      );
      await deps.uploads.remove(uploadId);
      res.status(201).send(response.attachments.find((a) => a.id === uploadId));
    }),
  );
  return router;
}
