import {
  createApp,
  serviceAppOptions,
  type ServiceAppDeps,
  mongoReady,
  natsReady,
  replicaSessionVersions,
} from '@taskforge/common';
import type { Express } from 'express';
import mongoose from 'mongoose';
import type { TicketsConfig } from './config';
import { openApiDocument } from './contracts';
import { User } from './replicas/user';
import { ticketsRouters } from './routes';

export type AppDeps = ServiceAppDeps<TicketsConfig>;

/** The tickets API; uses the default mongoose connection. No I/O happens here. */
export function buildApp(deps: AppDeps): Express {
  const { config, redis, nats } = deps;
  const redisPrefix = deps.redisPrefix ?? 'tickets';
  const eventsRecorded = deps.onEventsRecorded ?? (() => undefined);

  return createApp({
    ...serviceAppOptions({
      service: 'tickets',
      config,
      logger: deps.logger,
      redis,
      redisPrefix,
      readiness: { mongo: mongoReady(mongoose.connection), nats: natsReady(nats) },
      sessionVersions: replicaSessionVersions(User),
    }),
    docs: { path: '/api/tickets/docs', document: openApiDocument },
    routers: ticketsRouters({ eventsRecorded }),
  });
}
