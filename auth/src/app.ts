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
import { changePasswordRouter } from './routes/change-password';
import { currentUserRouter } from './routes/current-user';
import { deleteAccountRouter } from './routes/delete-account';
import { emailVerificationRouter } from './routes/email-verification';
import { passwordResetRouter } from './routes/password-reset';
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
    routers: [
      signupRouter({ config, eventsRecorded }),
      signinRouter({ config, redis, redisPrefix }),
      signoutRouter({ eventsRecorded, sessions }),
      currentUserRouter(),
      meRouter({ eventsRecorded }),
      deleteAccountRouter({ eventsRecorded, sessions }),
      emailVerificationRouter({ config, redis, redisPrefix, eventsRecorded }),
      changePasswordRouter({ config, eventsRecorded, sessions }),
      passwordResetRouter({ config, redis, redisPrefix, eventsRecorded, sessions }),
      showRouter(),
    ],
  });
}
