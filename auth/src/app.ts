import {
  createApp,
  createRateLimiter,
  type EventBus,
  type Logger,
  mongoReady,
  natsReady,
  redisReady,
} from '@taskforge/common';
import type { Express } from 'express';
import type { Redis } from 'ioredis';
import mongoose from 'mongoose';
import type { AuthConfig } from './config';
import { openApiDocument } from './openapi';
import { changePasswordRouter } from './routes/change-password';
import { currentUserRouter } from './routes/current-user';
import { meRouter } from './routes/me';
import { showRouter } from './routes/show';
import { signinRouter } from './routes/signin';
import { signoutRouter } from './routes/signout';
import { signupRouter } from './routes/signup';

export interface AppDeps {
  config: AuthConfig;
  logger: Logger;
  /** Rate-limit counters, shared by every pod. */
  redis: Redis;
  nats: EventBus['nc'];
  /** Namespaces this app's Redis keys (each test file has its own). */
  redisPrefix?: string;
  /** Called after a write left events in the outbox, so the relay publishes them now. */
  onEventsRecorded?: () => void;
}

/** The auth API; uses the default mongoose connection. No I/O happens here. */
export function buildApp(deps: AppDeps): Express {
  const { config, redis, nats } = deps;
  const redisPrefix = deps.redisPrefix ?? 'auth';
  const eventsRecorded = deps.onEventsRecorded ?? (() => undefined);

  return createApp({
    service: 'auth',
    logger: deps.logger,
    jwtPublicKey: config.JWT_PUBLIC_KEY,
    cookieSecure: config.COOKIE_SECURE ?? config.NODE_ENV === 'production',
    corsOrigins: config.CORS_ORIGINS,
    bodyLimit: config.BODY_LIMIT,
    readiness: {
      mongo: mongoReady(mongoose.connection),
      nats: natsReady(nats),
      redis: redisReady(redis),
    },
    rateLimiter: createRateLimiter({
      redis,
      prefix: `${redisPrefix}:api`,
      windowMs: config.RATE_LIMIT_WINDOW_MS,
      limit: config.RATE_LIMIT_MAX,
    }),
    docs: { path: '/api/users/docs', document: openApiDocument },
    routers: [
      signupRouter({ config, eventsRecorded }),
      signinRouter({ config, redis, redisPrefix }),
      signoutRouter(),
      currentUserRouter(),
      meRouter({ eventsRecorded }),
      changePasswordRouter(),
      showRouter(),
    ],
  });
}
