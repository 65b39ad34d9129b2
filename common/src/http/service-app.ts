import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { BaseConfig } from '../config';
import { redisReady, type ReadinessCheck } from '../middlewares/health';
import { createRateLimiter, rateLimitMode } from '../middlewares/rate-limit';
import type { SessionVersions } from '../middlewares/current-user';
import type { AppOptions } from './create-app';

export interface ServiceAppSettings {
  service: string;
  config: BaseConfig;
  logger: Logger;
  /** Holds the rate-limit counters shared by every pod; its reachability is part of readiness. */
  redis: Redis;
  /** Namespaces the Redis keys (each test file has its own); defaults to the service name. */
  redisPrefix?: string | undefined;
  /** The service's own stores, besides Redis. */
  readiness: Record<string, ReadinessCheck>;
  /** The users' session versions from the service's copy of them (see `currentUser`). */
  sessionVersions?: SessionVersions;
}

/** The `createApp` options every service derives the same way from its config. */
export function serviceAppOptions(
  settings: ServiceAppSettings,
): Omit<AppOptions, 'routers' | 'docs'> {
  const { config, redis } = settings;
  return {
    service: settings.service,
    logger: settings.logger,
    jwtPublicKey: config.JWT_PUBLIC_KEY,
    ...(settings.sessionVersions ? { sessionVersions: settings.sessionVersions } : {}),
    cookieSecure: config.COOKIE_SECURE ?? config.NODE_ENV === 'production',
    corsOrigins: config.CORS_ORIGINS,
    bodyLimit: config.BODY_LIMIT,
    readiness: { ...settings.readiness, redis: redisReady(redis) },
    // Shared across pods in Redis; per process while Redis is unreachable.
    readinessDetails: () => ({ rateLimits: rateLimitMode(redis) }),
    rateLimiter: createRateLimiter({
      redis,
      prefix: `${settings.redisPrefix ?? settings.service}:api`,
      windowMs: config.RATE_LIMIT_WINDOW_MS,
      limit: config.RATE_LIMIT_MAX,
      onFallback: (err) =>
        settings.logger.warn(
          { err },
          'Redis unreachable: rate limits count in each process until it answers again',
        ),
    }),
  };
}

/** What a service's `buildApp` receives from its start-up (or from a test). */
export interface ServiceAppDeps<C extends BaseConfig> {
  config: C;
  logger: Logger;
  /** Rate-limit counters, shared by every pod. */
  redis: Redis;
  nats: { isClosed(): boolean; flush(): Promise<void> };
  /** Namespaces this app's Redis keys (each test file has its own). */
  redisPrefix?: string;
  /** Called after a write left events in the outbox, so the relay publishes them now. */
  onEventsRecorded?: () => void;
}

/** The `{ errors: [{ message, field? }] }` body, as an OpenAPI 3.1 schema for the documents. */
export const errorResponseSchema = {
  type: 'object',
  required: ['errors'],
  additionalProperties: false,
  properties: {
    errors: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        required: ['message'],
        additionalProperties: false,
        properties: {
          message: { type: 'string' },
          field: { type: 'string', description: 'The input the message is about' },
        },
      },
    },
  },
} as const;
