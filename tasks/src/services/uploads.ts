import type { Redis } from 'ioredis';

export const MAX_ATTACHMENT_BYTES = 25 * 1024 * 1024;
export const MAX_ATTACHMENTS_PER_TASK = 50;
export const ATTACHMENT_NAME_MAX_LENGTH = 255;
export const UPLOAD_URL_TTL_SECONDS = 15 * 60;
export const DOWNLOAD_URL_TTL_SECONDS = 60;

/**
 * Types a browser may upload. Documents, images and archives; nothing a browser would run when
 * opened from our storage host (HTML, SVG, JavaScript).
 */
export const ALLOWED_MIMETYPES = [
  'application/pdf',
  'application/zip',
  'application/json',
  'application/msword',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'application/vnd.ms-excel',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  'image/png',
  'image/jpeg',
  'image/gif',
  'image/webp',
  'text/plain',
  'text/csv',
  'text/markdown',
] as const;
export type AllowedMimetype = (typeof ALLOWED_MIMETYPES)[number];

/** An upload the service signed a URL for and waits to have confirmed. */
export interface PendingUpload {
  taskId: string;
  userId: string;
  name: string;
  size: number;
  mimetype: AllowedMimetype;
  storageKey: string;
}

/** Pending uploads live in Redis until confirmed, or until shortly after their URL expired. */
export class PendingUploads {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  private key(uploadId: string): string {
    return `${this.prefix}:upload:${uploadId}`;
  }

  async save(uploadId: string, upload: PendingUpload): Promise<void> {
    await this.redis.set(
      this.key(uploadId),
      JSON.stringify(upload),
      'EX',
      UPLOAD_URL_TTL_SECONDS + 300,
    );
  }

  async find(uploadId: string): Promise<PendingUpload | undefined> {
    const raw = await this.redis.get(this.key(uploadId));
    return raw === null ? undefined : (JSON.parse(raw) as PendingUpload);
  }

  async remove(uploadId: string): Promise<void> {
    await this.redis.del(this.key(uploadId));
  }
}
