import { errorAnswer, route } from '@taskforge/common';
import { z } from 'zod';
import {
  ALLOWED_MIMETYPES,
  ATTACHMENT_NAME_MAX_LENGTH,
  DOWNLOAD_URL_TTL_SECONDS,
  MAX_ATTACHMENT_BYTES,
  UPLOAD_URL_TTL_SECONDS,
} from '../services/uploads';
import {
  dateTime,
  forbidden,
  signedInAnswers,
  taskChangedFirst,
  taskIdParam,
  taskNotFound,
} from './shared';

/*
 * A task's files: announced (a presigned URL to PUT the file to), confirmed once uploaded,
 * downloaded through a short-lived URL, removed.
 */

const nameLength = `name must have 1 to ${ATTACHMENT_NAME_MAX_LENGTH} characters`;
const name = z
  .string('name is required')
  .trim()
  .min(1, nameLength)
  .max(ATTACHMENT_NAME_MAX_LENGTH, nameLength)
  .refine(
    (value) => ![...value].some((c) => c === '/' || c === '\\' || c < ' '),
    'name must not contain slashes or control characters',
  );

// Number.isInteger, not z.int(): an integer beyond 2^53 is too large, not "not a size".
const sizeMessage = 'size must be the file size in bytes';
const size = z
  .number(sizeMessage)
  .min(1, sizeMessage)
  .refine(Number.isInteger, sizeMessage)
  .max(MAX_ATTACHMENT_BYTES, `Files must be at most ${MAX_ATTACHMENT_BYTES / 1024 / 1024} MB`)
  .meta({ type: 'integer' });

const mimetype = z.enum(ALLOWED_MIMETYPES, 'This file type is not allowed');

export const uploadRequest = z.object({ name, size, mimetype }).meta({ id: 'UploadRequest' });

export const attachmentResponse = z
  .object({
    id: z.string(),
    name,
    size,
    mimetype,
    uploadedAt: dateTime,
    uploadedBy: z.string(),
  })
  .meta({ id: 'Attachment' });

export type AttachmentResponse = z.output<typeof attachmentResponse>;

const uploadResponse = z
  .object({
    uploadId: z.string(),
    uploadUrl: z.string().meta({
      description: `Presigned for ${UPLOAD_URL_TTL_SECONDS / 60} minutes; size and type are part of the signature`,
    }),
    method: z.literal('PUT'),
    headers: z.object({ 'Content-Type': z.string() }),
    expiresAt: dateTime,
  })
  .meta({ id: 'Upload' });

const downloadUrlResponse = z
  .object({
    url: z.string().meta({ description: `Presigned for ${DOWNLOAD_URL_TTL_SECONDS} seconds` }),
    expiresAt: dateTime,
  })
  .meta({ id: 'DownloadUrl' });

const attachmentParams = {
  ...taskIdParam,
  attachmentId: { description: 'Attachment id (the upload id)' },
};
const noSuchAttachment = errorAnswer('No such task or attachment, or not a member');

export const startUpload = route({
  method: 'post',
  path: '/api/tasks/:id/attachments',
  tags: ['attachments'],
  summary: 'Start an upload',
  description:
    `Needs \`task.update\`. At most ${MAX_ATTACHMENT_BYTES / 1024 / 1024} MB, of the ` +
    'allowed types. PUT the file to `uploadUrl` with the given headers, then confirm.',
  signedIn: true,
  pathParams: taskIdParam,
  body: uploadRequest,
  responses: {
    201: { description: 'Where to upload', body: uploadResponse },
    400: errorAnswer('Invalid name, too large, a type not allowed, or too many attachments'),
    403: forbidden,
    404: taskNotFound,
    ...signedInAnswers,
  },
});

export const confirmUpload = route({
  method: 'post',
  path: '/api/tasks/:id/attachments/:attachmentId/confirm',
  tags: ['attachments'],
  summary: 'Record an uploaded file',
  description:
    'Checks the stored object has the announced size and type (else removes it), then ' +
    'records it: `task.updated` and `attachment.added`. Repeating it answers the same.',
  signedIn: true,
  pathParams: attachmentParams,
  responses: {
    201: { description: 'The attachment', body: attachmentResponse },
    400: errorAnswer('Nothing uploaded yet, or the file does not match'),
    403: errorAnswer('Lacks `task.update`, or not the uploader'),
    404: errorAnswer('No such task or upload (expired), or not a member'),
    409: taskChangedFirst,
    ...signedInAnswers,
  },
});

export const showAttachment = route({
  method: 'get',
  path: '/api/tasks/:id/attachments/:attachmentId',
  tags: ['attachments'],
  summary: 'A short-lived download URL',
  signedIn: true,
  pathParams: attachmentParams,
  responses: {
    200: { description: 'The URL', body: downloadUrlResponse },
    404: noSuchAttachment,
    ...signedInAnswers,
  },
});

export const deleteAttachment = route({
  method: 'delete',
  path: '/api/tasks/:id/attachments/:attachmentId',
  tags: ['attachments'],
  summary: 'Remove an attachment',
  description: 'Needs `task.update`. Publishes `task.updated` and `attachment.removed`.',
  signedIn: true,
  pathParams: attachmentParams,
  responses: {
    204: { description: 'Removed' },
    403: forbidden,
    404: noSuchAttachment,
    409: taskChangedFirst,
    ...signedInAnswers,
  },
});
