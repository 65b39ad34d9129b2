import './tracing';
import { runMongoService } from '@taskforge/common';
import { buildApp, REDIS_PREFIX } from './app';
import { readConfig } from './config';
import { TASKS_CONSUMER_CONCURRENCY, tasksListeners } from './events/listeners';
import { Activity } from './models/activity';
import { Comment } from './models/comment';
import { Membership } from './replicas/membership';
import { Task } from './models/task';
import { assignStatsBuckets } from './services/stats';
import { StatsCache } from './services/stats-cache';
import { AttachmentStorage } from './services/storage';

runMongoService({
  service: 'tasks',
  readConfig,
  outboxModels: [Task, Comment],
  parts: async ({ config, logger, redis }) => {
    const storage = new AttachmentStorage(config);
    // No object storage, no start: the pod restarts until it is reachable.
    await storage.ensureBucket();
    logger.info({ bucket: storage.bucket }, 'attachment bucket ready');
    // Indexes of the replicas and the history (outbox models get theirs from runMongoService).
    await Promise.all([Activity.init(), Membership.init()]);
    // Tasks stored before the dashboard had buckets get theirs; their teams' parts start over.
    const teams = await assignStatsBuckets();
    const stats = new StatsCache(redis, REDIS_PREFIX, config.STATS_CACHE_TTL_SECONDS, logger);
    await Promise.all([...teams].map((teamId) => stats.invalidate(teamId)));
    if (teams.size > 0) logger.info({ teams: teams.size }, 'stats buckets assigned');
    return { context: { storage }, stop: async () => storage.close() };
  },
  listeners: () => tasksListeners(),
  consumerConcurrency: TASKS_CONSUMER_CONCURRENCY,
  buildApp: ({ config, logger, redis, bus, kickRelay, storage }) =>
    buildApp({ config, logger, redis, nats: bus.nc, storage, onEventsRecorded: kickRelay }),
});
