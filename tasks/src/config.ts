import { baseConfigSchema, loadConfig } from '@taskforge/common';
import { z } from 'zod';

const booleanString = z
  .enum(['true', 'false', '1', '0'])
  .transform((value) => value === 'true' || value === '1');

export const tasksConfigSchema = baseConfigSchema
  .extend({
    MONGO_URL: z.string().min(1),
    /** Where the service reaches object storage. */
    S3_ENDPOINT: z.string().url(),
    /** Where browsers reach it: the host presigned URLs name. Defaults to S3_ENDPOINT. */
    S3_PUBLIC_ENDPOINT: z.string().url().optional(),
    S3_BUCKET: z
      .string()
      .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'must be a valid bucket name')
      .default('taskforge-attachments'),
    S3_REGION: z.string().min(1).default('us-east-1'),
    S3_ACCESS_KEY: z.string().min(1),
    S3_SECRET_KEY: z.string().min(1),
    /** versitygw (and MinIO) serve buckets as paths (`host/bucket/key`), not as subdomains. */
    S3_FORCE_PATH_STYLE: booleanString.default(true),
    TASK_CACHE_TTL_SECONDS: z.coerce.number().int().min(1).max(86_400).default(300),
    /** The longest a team's cached stats live (writes and due dates end them sooner). */
    STATS_CACHE_TTL_SECONDS: z.coerce.number().int().min(1).max(86_400).default(600),
  })
  .transform((config) => ({
    ...config,
    S3_PUBLIC_ENDPOINT: config.S3_PUBLIC_ENDPOINT ?? config.S3_ENDPOINT,
  }));

export type TasksConfig = z.output<typeof tasksConfigSchema>;

export function readConfig(env: NodeJS.ProcessEnv = process.env): TasksConfig {
  return loadConfig(tasksConfigSchema, env);
}
