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
import { User } from './models/user';
import { openApiDocument } from './contract';
import { deleteTicketRouter } from './routes/delete';
import { indexTicketRouter } from './routes/index';
import { newTicketRouter } from './routes/new';
import { showTicketRouter } from './routes/show';
import { updateTicketRouter } from './routes/update';

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
    routers: [
      indexTicketRouter(),
      newTicketRouter({ eventsRecorded }),
      showTicketRouter(),
      updateTicketRouter({ eventsRecorded }),
      deleteTicketRouter({ eventsRecorded }),
    ],
  });
}
