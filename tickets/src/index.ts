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
import { Ticket } from './models/ticket';

const logger = createLogger('tickets');

async function main(): Promise<void> {
  const config = readConfig();

  await mongoose.connect(config.MONGO_URL, { serverSelectionTimeoutMS: 10_000 });
  await Ticket.init();

  const bus = await connectEventBus({ servers: config.NATS_URL, name: 'tickets', logger });
  const relay = new OutboxRelay({
    store: new MongoOutboxStore([Ticket]),
    publisher: new EventPublisher(bus.js),
    logger,
  });
  relay.start();

  // Fail commands fast while Redis is down: the limiter then lets requests through.
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
  else logger.fatal({ err }, 'tickets failed to start');
  process.exit(1);
});
