import { baseConfigSchema, loadConfig } from '@taskforge/common';
import { z } from 'zod';

const positiveInt = z.coerce.number().int().positive();

export const notificationsConfigSchema = baseConfigSchema
  .extend({
    MONGO_URL: z.string().min(1),
    /** `smtp://host:port` (or `smtps://`, with credentials if needed); or SMTP_HOST + SMTP_PORT. */
    SMTP_URL: z.string().url().optional(),
    SMTP_HOST: z.string().min(1).optional(),
    SMTP_PORT: z.coerce.number().int().min(1).max(65535).default(25),
    MAIL_FROM: z.string().min(3).default('TaskForge <notifications@taskforge.test>'),
    /** Attempts and first backoff delay of an email send (doubling each retry). */
    EMAIL_ATTEMPTS: positiveInt.default(8),
    EMAIL_BACKOFF_MS: positiveInt.default(30_000),
    /** Comment lines that keep idle SSE connections open through proxies. */
    SSE_HEARTBEAT_MS: positiveInt.default(15_000),
    /** The reconnection delay suggested to browsers (`retry:`). */
    SSE_RETRY_MS: positiveInt.default(5_000),
    SSE_MAX_STREAMS_PER_USER: positiveInt.default(5),
    /** Live messages kept for `Last-Event-ID` resume (approximate cap of the Redis Stream). */
    SSE_BACKLOG: positiveInt.default(10_000),
    /** Unread counters expire and are rebuilt from MongoDB, so any drift heals by itself. */
    UNREAD_COUNT_TTL_SECONDS: positiveInt.default(24 * 3600),
    DUE_SOON_SCAN_EVERY_MS: positiveInt.default(15 * 60_000),
  })
  .superRefine((config, ctx) => {
    if (!config.SMTP_URL && !config.SMTP_HOST) {
      ctx.addIssue({ code: 'custom', path: ['SMTP_URL'], message: 'or SMTP_HOST is required' });
    }
  });

export type NotificationsConfig = z.output<typeof notificationsConfigSchema>;

export function readConfig(env: NodeJS.ProcessEnv = process.env): NotificationsConfig {
  return loadConfig(notificationsConfigSchema, env);
}
