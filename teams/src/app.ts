import {
  cachedSessionVersions,
  createApp,
  natsReady,
  pgReady,
  serviceAppOptions,
  type ServiceAppDeps,
} from '@taskforge/common';
import type { Express } from 'express';
import type { Pool } from 'pg';
import type { TeamsConfig } from './config';
import { openApiDocument } from './contracts/index';
import { sessionVersionOf } from './replicas/user';
import { teamsRouters } from './routes';

export type AppDeps = ServiceAppDeps<TeamsConfig> & { pool: Pool };

/** The teams API on the given pool. No I/O happens here. */
export function buildApp(deps: AppDeps): Express {
  const { config, redis, nats, pool } = deps;
  const eventsRecorded = deps.onEventsRecorded ?? (() => undefined);

  return createApp({
    ...serviceAppOptions({
      service: 'teams',
      config,
      logger: deps.logger,
      redis,
      redisPrefix: deps.redisPrefix ?? 'teams',
      readiness: { postgres: pgReady(pool), nats: natsReady(nats) },
      sessionVersions: cachedSessionVersions((userId) => sessionVersionOf(pool, userId)),
    }),
    docs: { path: '/api/teams/docs', document: openApiDocument },
    routers: teamsRouters({ pool, eventsRecorded }),
  });
}
