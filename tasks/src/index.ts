import { runMongoService } from '@taskforge/common';
import { buildApp } from './app';
import { readConfig } from './config';
import { tasksListeners } from './events/listeners';
import { Activity } from './models/activity';
import { Comment } from './models/comment';
import { Membership } from './models/membership';
import { Task } from './models/task';
import { AttachmentStorage } from './services/storage';

runMongoService({
  service: 'tasks',
  readConfig,
  outboxModels: [Task, Comment],
  listeners: () => tasksListeners(),
  buildApp: ({ config, logger, redis, bus, kickRelay }) => {
    const storage = new AttachmentStorage(config);
    // runMongoService has no asynchronous start-up hook: the bucket is made here, and readiness
    // (a HEAD of the bucket) keeps traffic away until it exists. No storage: exit and restart.
    storage.ensureBucket().then(
      () => logger.info({ bucket: storage.bucket }, 'attachment bucket ready'),
      (err: unknown) => {
        logger.fatal({ err }, 'object storage unreachable');
        process.exit(1);
      },
    );
    // Indexes of the replicas and the history (outbox models get theirs from runMongoService).
    void Promise.all([Activity.init(), Membership.init()]).catch((err: unknown) =>
      logger.error({ err }, 'index build failed'),
    );
    return buildApp({ config, logger, redis, nats: bus.nc, storage, onEventsRecorded: kickRelay });
  },
});
