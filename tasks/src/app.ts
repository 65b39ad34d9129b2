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
import type { TasksConfig } from './config';
import { openApiDocument } from './contracts';
import { User } from './replicas/user';
import { tasksRouters } from './routes';
import type { AttachmentStorage } from './services/storage';
import { StatsCache } from './services/stats-cache';
import { TaskCache } from './services/task-cache';
import { PendingUploads } from './services/uploads';

export interface AppDeps extends ServiceAppDeps<TasksConfig> {
  storage: AttachmentStorage;
}

/** Where tasks keeps its Redis keys unless told otherwise (tests give each file its own). */
export const REDIS_PREFIX = 'tasks';

/** The tasks API; uses the default mongoose connection. No I/O happens here. */
export function buildApp(deps: AppDeps): Express {
  const { config, redis, nats, logger, storage } = deps;
  const redisPrefix = deps.redisPrefix ?? REDIS_PREFIX;
  const eventsRecorded = deps.onEventsRecorded ?? (() => undefined);
  const cache = new TaskCache(redis, redisPrefix, config.TASK_CACHE_TTL_SECONDS);
  const uploads = new PendingUploads(redis, redisPrefix);
  const stats = new StatsCache(redis, redisPrefix, config.STATS_CACHE_TTL_SECONDS, logger);

  return createApp({
    ...serviceAppOptions({
      service: 'tasks',
      config,
      logger,
      redis,
      redisPrefix,
      readiness: {
        mongo: mongoReady(mongoose.connection),
        nats: natsReady(nats),
        storage: () => storage.ready(),
      },
      sessionVersions: replicaSessionVersions(User),
    }),
    docs: { path: '/api/tasks/docs', document: openApiDocument },
    routers: tasksRouters({ cache, stats, logger, eventsRecorded, storage, uploads }),
  });
}
