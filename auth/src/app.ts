import {
  createApp,
  serviceAppOptions,
  type ServiceAppDeps,
  mongoReady,
  natsReady,
} from '@taskforge/common';
import type { Express } from 'express';
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

export type AppDeps = ServiceAppDeps<AuthConfig>;

/** The auth API; uses the default mongoose connection. No I/O happens here. */
export function buildApp(deps: AppDeps): Express {
  const { config, redis, nats } = deps;
  const redisPrefix = deps.redisPrefix ?? 'auth';
  const eventsRecorded = deps.onEventsRecorded ?? (() => undefined);

  return createApp({
    ...serviceAppOptions({
      service: 'auth',
      config,
      logger: deps.logger,
      redis,
      redisPrefix,
      readiness: { mongo: mongoReady(mongoose.connection), nats: natsReady(nats) },
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
