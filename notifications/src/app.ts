import {
  createApp,
  mongoReady,
  natsReady,
  replicaSessionVersions,
  serviceAppOptions,
  type ServiceAppDeps,
} from '@taskforge/common';
import type { Express } from 'express';
import mongoose from 'mongoose';
import type { NotificationsConfig } from './config';
import { openApiDocument } from './contracts';
import type { StreamHub } from './live/stream-hub';
import { UserReplica } from './replicas/user';
import { notificationsRouters } from './routes';
import type { Inbox } from './services/inbox';

export interface AppDeps extends ServiceAppDeps<NotificationsConfig> {
  inbox: Inbox;
  hub: StreamHub;
}

/** The notifications API; uses the default mongoose connection. No I/O happens here. */
export function buildApp(deps: AppDeps): Express {
  const { config, redis, nats, inbox, hub } = deps;
  return createApp({
    ...serviceAppOptions({
      service: 'notifications',
      config,
      logger: deps.logger,
      redis,
      redisPrefix: deps.redisPrefix ?? 'notifications',
      readiness: { mongo: mongoReady(mongoose.connection), nats: natsReady(nats) },
      sessionVersions: replicaSessionVersions(UserReplica),
    }),
    docs: { path: '/api/notifications/docs', document: openApiDocument },
    routers: notificationsRouters({ inbox, hub }),
  });
}
