import {
  ConfigError,
  connectEventBus,
  createLogger,
  EventPublisher,
  MongoOutboxStore,
  OutboxRelay,
  startService,
} from '@taskforge/common';
import { Redis } from 'ioredis';
import mongoose from 'mongoose';
import { buildApp } from './app';
import { readConfig } from './config';
import { User } from './models/user';

const logger = createLogger('auth');

async function main(): Promise<void> {
  const config = readConfig();

  await mongoose.connect(config.MONGO_URL, { serverSelectionTimeoutMS: 10_000 });
  await User.init();

  const bus = await connectEventBus({ servers: config.NATS_URL, name: 'auth', logger });
  const relay = new OutboxRelay({
    // The store reads only the outbox field, which every outbox model has.
    store: new MongoOutboxStore([User]),
    publisher: new EventPublisher(bus.js),
    logger,
  });
  relay.start();

  // Fail commands fast while Redis is down: the limiters then let requests through.
  const redis = new Redis(config.REDIS_URL, { maxRetriesPerRequest: 1 });
  redis.on('error', (err) => logger.warn({ err }, 'redis error'));

  const app = buildApp({
    config,
    logger,
    redis,
    nats: bus.nc,
    onEventsRecorded: () => relay.kick(),
  });
  await startService({
    app,
    port: config.PORT,
    logger,
    onShutdown: [
      () => relay.stop(),
      () => bus.nc.drain(),
      () => mongoose.disconnect(),
      () => redis.quit(),
    ],
  });
}

main().catch((err: unknown) => {
  if (err instanceof ConfigError) logger.fatal({ problems: err.problems }, err.message);
  else logger.fatal({ err }, 'auth failed to start');
  process.exit(1);
});
