import { z } from 'zod';

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration: ${problems.join('; ')}`);
    this.name = 'ConfigError';
  }
}

/** PEM keys arrive in env with literal `\n` when set on one line; accept both forms. */
export const pemKey = z
  .string()
  .transform((value) => value.replace(/\\n/g, '\n').trim())
  .refine((value) => /^-----BEGIN [A-Z ]+-----\n[\s\S]+\n-----END [A-Z ]+-----$/.test(value), {
    message: 'must be a PEM key',
  });

const booleanString = z
  .enum(['true', 'false', '1', '0'])
  .transform((value) => value === 'true' || value === '1');

const csv = z.string().transform((value) =>
  value
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean),
);

/** Settings every service reads. Services extend this with their own (`MONGO_URL`, …). */
export const baseConfigSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  /**
   * A file the service writes the port it listens on to, once it listens: a process that starts
   * it with PORT=0 (a test) learns the kernel's pick, a port nobody else can hold.
   */
  PORT_FILE: z.string().min(1).optional(),
  /** The address to listen on: every interface when unset (a pod); the local stack sets 127.0.0.1. */
  LISTEN_ADDRESS: z.string().min(1).optional(),
  NATS_URL: z.string().min(1),
  /** Copies of the event stream when a service creates it: 3 on a NATS cluster. */
  NATS_STREAM_REPLICAS: z.coerce.number().int().min(1).max(5).default(1),
  REDIS_URL: z.string().min(1),
  JWT_PUBLIC_KEY: pemKey,
  COOKIE_SECURE: booleanString.optional(),
  CORS_ORIGINS: csv.default([]),
  RATE_LIMIT_WINDOW_MS: z.coerce.number().int().positive().default(60_000),
  RATE_LIMIT_MAX: z.coerce.number().int().positive().default(600),
  BODY_LIMIT: z.string().default('100kb'),
  PUBLIC_URL: z.string().url().default('http://taskforge.test'),
});

export type BaseConfig = z.output<typeof baseConfigSchema>;

/**
 * Reads the environment once. On failure the error lists every missing or invalid variable,
 * so a misconfigured pod says all that is wrong in one log line.
 */
export function loadConfig<S extends z.ZodType>(
  schema: S,
  env: NodeJS.ProcessEnv = process.env,
): z.output<S> {
  const result = schema.safeParse(env);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const name = issue.path.join('.') || '(env)';
    const missing = issue.code === 'invalid_type' && env[name] === undefined;
    return missing ? `${name} is required` : `${name} ${issue.message}`;
  });
  throw new ConfigError(problems);
}
