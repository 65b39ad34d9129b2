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
import { sessionVersionOf } from './db/users';
import { indexAuditRouter } from './routes/audit/index';
import { deleteTeamRouter } from './routes/delete';
import { indexTeamRouter } from './routes/index';
import { deleteMemberRouter } from './routes/members/delete';
import { indexMemberRouter } from './routes/members/index';
import { newMemberRouter } from './routes/members/new';
import { updateMemberRouter } from './routes/members/update';
import { newTeamRouter } from './routes/new';
import { showPermissionsRouter } from './routes/permissions/show';
import { updatePermissionsRouter } from './routes/permissions/update';
import { showTeamRouter } from './routes/show';
import { updateTeamRouter } from './routes/update';

export type AppDeps = ServiceAppDeps<TeamsConfig> & { pool: Pool };

/** The teams API on the given pool. No I/O happens here. */
export function buildApp(deps: AppDeps): Express {
  const { config, redis, nats, pool } = deps;
  const eventsRecorded = deps.onEventsRecorded ?? (() => undefined);
  const writes = { pool, eventsRecorded };

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
    routers: [
      indexTeamRouter({ pool }),
      newTeamRouter(writes),
      showTeamRouter({ pool }),
      updateTeamRouter(writes),
      deleteTeamRouter(writes),
      indexMemberRouter({ pool }),
      newMemberRouter(writes),
      updateMemberRouter(writes),
      deleteMemberRouter(writes),
      showPermissionsRouter({ pool }),
      updatePermissionsRouter(writes),
      indexAuditRouter({ pool }),
    ],
  });
}
