import { BadRequestError, requireAuth, validateRequest } from '@taskforge/common';
import { randomUUID } from 'node:crypto';
import { Router } from 'express';
import { body } from 'express-validator';
import { requirePermission } from '../services/authorization';
import type { AttachmentStorage } from '../services/storage';
import { findTaskWithAccess } from '../services/task-writes';
import {
  ALLOWED_MIMETYPES,
  ATTACHMENT_NAME_MAX_LENGTH,
  MAX_ATTACHMENT_BYTES,
  MAX_ATTACHMENTS_PER_TASK,
  UPLOAD_URL_TTL_SECONDS,
  type PendingUploads,
} from '../services/uploads';

/** Step one of an upload: checks the file's description and signs a URL to PUT it to. */
export function newAttachmentRouter(deps: {
  storage: AttachmentStorage;
  uploads: PendingUploads;
}): Router {
  const router = Router();
  router.post(
    '/api/tasks/:id/attachments',
    requireAuth,
    body('name')
      .isString()
      .withMessage('name is required')
      .bail()
      .trim()
      .isLength({ min: 1, max: ATTACHMENT_NAME_MAX_LENGTH })
      .withMessage(`name must have 1 to ${ATTACHMENT_NAME_MAX_LENGTH} characters`)
      .bail()
      .custom((value: string) => ![...value].some((c) => c === '/' || c === '\\' || c < ' '))
      .withMessage('name must not contain slashes or control characters'),
    body('size')
      .custom((value) => Number.isInteger(value) && value > 0)
      .withMessage('size must be the file size in bytes')
      .bail()
      .custom((value: number) => value <= MAX_ATTACHMENT_BYTES)
      .withMessage(`Files must be at most ${MAX_ATTACHMENT_BYTES / 1024 / 1024} MB`),
    body('mimetype')
      .isString()
      .withMessage('This file type is not allowed')
      .bail()
      .isIn(ALLOWED_MIMETYPES)
      .withMessage('This file type is not allowed'),
    validateRequest,
    async (req, res) => {
      const userId = req.currentUser!.id;
      const { task, access } = await findTaskWithAccess(req.params.id as string, userId);
      requirePermission(access, 'task.update');
      if (task.attachments.length >= MAX_ATTACHMENTS_PER_TASK) {
        throw new BadRequestError(`A task holds at most ${MAX_ATTACHMENTS_PER_TASK} attachments`);
      }
      const { name, size, mimetype } = req.body as { name: string; size: number; mimetype: string };
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
    },
  );
  return router;
}
