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
import type { TicketsConfig } from './config';
import { openApiDocument } from './openapi';
import { deleteTicketRouter } from './routes/delete';
import { indexTicketRouter } from './routes/index';
import { newTicketRouter } from './routes/new';
import { showTicketRouter } from './routes/show';
import { updateTicketRouter } from './routes/update';

export interface AppDeps {
  config: TicketsConfig;
  logger: Logger;
  /** Rate-limit counters, shared by every pod. */
  redis: Redis;
  nats: EventBus['nc'];
  /** Namespaces this app's Redis keys (each test file has its own). */
  redisPrefix?: string;
  /** Called after a write left events in the outbox, so the relay publishes them now. */
  onEventsRecorded?: () => void;
}

/** The tickets API; uses the default mongoose connection. No I/O happens here. */
export function buildApp(deps: AppDeps): Express {
  const { config, redis, nats } = deps;
  const redisPrefix = deps.redisPrefix ?? 'tickets';
  const eventsRecorded = deps.onEventsRecorded ?? (() => undefined);

  return createApp({
    service: 'tickets',
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
    docs: { path: '/api/tickets/docs', document: openApiDocument },
    routers: [
      indexTicketRouter(),
      newTicketRouter({ eventsRecorded }),
      showTicketRouter(),
      updateTicketRouter({ eventsRecorded }),
      deleteTicketRouter({ eventsRecorded }),
    ],
  });
}
