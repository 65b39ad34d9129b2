import type { Express } from 'express';
import { Redis } from 'ioredis';
import mongoose, { type Model } from 'mongoose';
import type { BaseConfig } from '../config';
import { ConfigError } from '../config';
import { connectEventBus, type EventBus } from '../events/connection';
import { EventConsumer } from '../events/consumer';
import type { Listener } from '../events/listener';
import { EventPublisher } from '../events/publisher';
import { createLogger, type Logger } from '../logger';
import { MongoOutboxStore } from '../outbox/mongo-outbox';
import { OutboxRelay } from '../outbox/relay';
import { startService } from './start-service';

export interface MongoServiceContext<C> {
  config: C;
  logger: Logger;
  redis: Redis;
  bus: EventBus;
  /** Call after a write recorded events, so the relay publishes them now. */
  kickRelay: () => void;
}

export interface MongoServiceOptions<C extends BaseConfig & { MONGO_URL: string }> {
  service: string;
  readConfig: () => C;
  /** Models whose documents carry an outbox; their indexes are built at start-up too. */
  // The models hold different documents; only their outbox field and indexes are used here.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  outboxModels: Model<any>[];
  buildApp: (context: MongoServiceContext<C>) => Express;
  /** This service's event listeners, run on its durable consumer (named after the service). */
  listeners?: (context: MongoServiceContext<C>) => Listener[];
}

/**
 * The whole start-up of a MongoDB-backed service: config, MongoDB, NATS (stream), the outbox
 * relay, Redis, the listeners, the HTTP server, and the shutdown in reverse (stop accepting,
 * stop consuming, stop the relay, drain NATS, close MongoDB and Redis). Exits 1 with a clear
 * message when the config is invalid or a store cannot be reached.
 */
export function runMongoService<C extends BaseConfig & { MONGO_URL: string }>(
  options: MongoServiceOptions<C>,
): void {
  const logger = createLogger(options.service);

  const main = async () => {
    const config = options.readConfig();
    await mongoose.connect(config.MONGO_URL, { serverSelectionTimeoutMS: 10_000 });
    await Promise.all(options.outboxModels.map((model) => model.init()));

    const bus = await connectEventBus({
      servers: config.NATS_URL,
      name: options.service,
      logger,
    });
    const relay = new OutboxRelay({
      store: new MongoOutboxStore(options.outboxModels),
      publisher: new EventPublisher(bus.js),
      logger,
    });
    relay.start();

    // Fail commands fast while Redis is down: the rate limiter then lets requests through.
    const redis = new Redis(config.REDIS_URL, { maxRetriesPerRequest: 1 });
    redis.on('error', (err) => logger.warn({ err }, 'redis error'));

    const context: MongoServiceContext<C> = {
      config,
      logger,
      redis,
      bus,
      kickRelay: () => relay.kick(),
    };
    const listeners = options.listeners?.(context) ?? [];
    const consumer =
      listeners.length > 0
        ? new EventConsumer(bus, { durable: options.service, listeners, logger })
        : undefined;
    await consumer?.start();

    await startService({
      app: options.buildApp(context),
      port: config.PORT,
      logger,
      onShutdown: [
        async () => consumer?.stop(),
        () => relay.stop(),
        () => bus.nc.drain(),
        () => mongoose.disconnect(),
        () => redis.quit(),
      ],
    });
  };

  main().catch((err: unknown) => {
    if (err instanceof ConfigError) logger.fatal({ problems: err.problems }, err.message);
    else logger.fatal({ err }, `${options.service} failed to start`);
    process.exit(1);
  });
}
