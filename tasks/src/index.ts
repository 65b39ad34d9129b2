import { runMongoService } from '@taskforge/common';
import { buildApp } from './app';
import { readConfig } from './config';
import { TASKS_CONSUMER_CONCURRENCY, tasksListeners } from './events/listeners';
import { Activity } from './models/activity';
import { Comment } from './models/comment';
import { Membership } from './models/membership';
import { Task } from './models/task';
import { AttachmentStorage } from './services/storage';

runMongoService({
  service: 'tasks',
  readConfig,
  outboxModels: [Task, Comment],
  parts: async ({ config, logger }) => {
    const storage = new AttachmentStorage(config);
    // No object storage, no start: the pod restarts until it is reachable.
    await storage.ensureBucket();
    logger.info({ bucket: storage.bucket }, 'attachment bucket ready');
    // Indexes of the replicas and the history (outbox models get theirs from runMongoService).
    await Promise.all([Activity.init(), Membership.init()]);
    return { context: { storage }, stop: async () => storage.close() };
  },
  listeners: () => tasksListeners(),
  consumerConcurrency: TASKS_CONSUMER_CONCURRENCY,
  buildApp: ({ config, logger, redis, bus, kickRelay, storage }) =>
    buildApp({ config, logger, redis, nats: bus.nc, storage, onEventsRecorded: kickRelay }),
});
