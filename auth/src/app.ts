import {
  cachedSessionVersions,
  createApp,
  serviceAppOptions,
  type ServiceAppDeps,
  mongoReady,
  natsReady,
} from '@taskforge/common';
import type { Express } from 'express';
import mongoose from 'mongoose';
import type { AuthConfig } from './config';
import { sessionVersionOf } from './models/user';
import { openApiDocument } from './contracts';
import { authRouters } from './routes';

export type AppDeps = ServiceAppDeps<AuthConfig>;

/** The auth API; uses the default mongoose connection. No I/O happens here. */
export function buildApp(deps: AppDeps): Express {
  const { config, redis, nats } = deps;
  const redisPrefix = deps.redisPrefix ?? 'auth';
  const eventsRecorded = deps.onEventsRecorded ?? (() => undefined);
  // Forgotten by the routes that end sessions, so this process refuses the old ones at once.
  const sessions = cachedSessionVersions(sessionVersionOf);

  return createApp({
    ...serviceAppOptions({
      service: 'auth',
      config,
      logger: deps.logger,
      redis,
      redisPrefix,
      readiness: { mongo: mongoReady(mongoose.connection), nats: natsReady(nats) },
      // auth owns the users: it reads the session version from the source.
      sessionVersions: sessions,
    }),
    docs: { path: '/api/users/docs', document: openApiDocument },
    routers: authRouters({ config, redis, redisPrefix, eventsRecorded, sessions }),
  });
}
