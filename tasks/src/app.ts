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
import { User } from './models/user';
import { activityRouter } from './routes/activity';
import { commentsRouter } from './routes/comments';
import { confirmAttachmentRouter } from './routes/confirm-attachment';
import { deleteAttachmentRouter } from './routes/delete-attachment';
import { deleteCommentRouter } from './routes/delete-comment';
import { deleteTaskRouter } from './routes/delete';
import { indexTaskRouter } from './routes/index';
import { newAttachmentRouter } from './routes/new-attachment';
import { newCommentRouter } from './routes/new-comment';
import { newTaskRouter } from './routes/new';
import { showAttachmentRouter } from './routes/show-attachment';
import { showTaskRouter } from './routes/show';
import { statsTaskRouter } from './routes/stats';
import { updateCommentRouter } from './routes/update-comment';
import { updateTaskRouter } from './routes/update';
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
  const writes = { cache, stats, logger, eventsRecorded };

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
    routers: [
      // `/api/tasks/stats` before `/api/tasks/:id`, which would take "stats" for an id.
      statsTaskRouter({ stats }),
      indexTaskRouter(),
      newTaskRouter(writes),
      showTaskRouter({ cache, logger }),
      updateTaskRouter(writes),
      deleteTaskRouter(writes),
      commentsRouter(),
      newCommentRouter({ logger, eventsRecorded }),
      updateCommentRouter({ eventsRecorded }),
      deleteCommentRouter({ eventsRecorded }),
      activityRouter(),
      newAttachmentRouter({ storage, uploads }),
      confirmAttachmentRouter({ ...writes, storage, uploads }),
      showAttachmentRouter({ storage }),
      deleteAttachmentRouter({ ...writes, storage }),
    ],
  });
}
