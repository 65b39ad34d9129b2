import { BadRequestError, handle, requireAuth } from '@taskforge/common';
import { randomUUID } from 'node:crypto';
import { Router } from 'express';
import { startUpload } from '../../contracts/attachments';
import { requirePermission } from '../../services/authorization';
import type { AttachmentStorage } from '../../services/storage';
import { findTaskWithAccess } from '../../services/task-writes';
import {
  MAX_ATTACHMENTS_PER_TASK,
  UPLOAD_URL_TTL_SECONDS,
  type PendingUploads,
} from '../../services/uploads';

/** Step one of an upload: checks the file's description and signs a URL to PUT it to. */
export function newAttachmentRouter(deps: {
  storage: AttachmentStorage;
  uploads: PendingUploads;
}): Router {
  const router = Router();
  router.post(
    startUpload.path,
    requireAuth,
    handle(startUpload, async ({ body: { name, size, mimetype } }, req, res) => {
      const userId = req.currentUser!.id;
      const { task, access } = await findTaskWithAccess(req.params.id as string, userId);
      requirePermission(access, 'task.update');
      if (task.attachments.length >= MAX_ATTACHMENTS_PER_TASK) {
        throw new BadRequestError(`A task holds at most ${MAX_ATTACHMENTS_PER_TASK} attachments`);
      }
      const uploadId = randomUUID();
      const taskId = task._id.toString();
      const storageKey = `tasks/${taskId}/${uploadId}`;
      await deps.uploads.save(uploadId, { taskId, userId, name, size, mimetype, storageKey });
      const uploadUrl = await deps.storage.uploadUrl(
        storageKey,
        mimetype,
        size,
        UPLOAD_URL_TTL_SECONDS,
      );
      res.status(201).send({
        uploadId,
        uploadUrl,
        method: 'PUT',
        headers: { 'Content-Type': mimetype },
        expiresAt: new Date(Date.now() + UPLOAD_URL_TTL_SECONDS * 1000).toISOString(),
      });
    }),
  );
  return router;
}
