import { handle, NotFoundError, requireAuth } from '@taskforge/common';
import { Router } from 'express';
import { showAttachment } from '../../contracts/attachments';
import type { AttachmentStorage } from '../../services/storage';
import { findTaskWithAccess } from '../../services/task-writes';
import { DOWNLOAD_URL_TTL_SECONDS } from '../../services/uploads';

/** A short-lived URL to download the file straight from storage. */
export function showAttachmentRouter(deps: { storage: AttachmentStorage }): Router {
  const router = Router();
  router.get(
    showAttachment.path,
    requireAuth,
    handle(showAttachment, async (_input, req, res) => {
      const { task } = await findTaskWithAccess(req.params.id as string, req.currentUser!.id);
      const attachment = task.attachments.find((a) => a.id === req.params.attachmentId);
      if (!attachment) throw new NotFoundError('Attachment not found');
      const url = await deps.storage.downloadUrl(
        attachment.storageKey,
        attachment.name,
        DOWNLOAD_URL_TTL_SECONDS,
      );
      res.send({
        url,
        expiresAt: new Date(Date.now() + DOWNLOAD_URL_TTL_SECONDS * 1000).toISOString(),
      });
    }),
  );
  return router;
}
