import type { Express } from 'express';
import { Redis } from 'ioredis';
import type { BaseConfig } from '../config';
import { ConfigError } from '../config';
import { connectEventBus, type EventBus } from '../events/connection';
import { EventConsumer } from '../events/consumer';
import type { Listener } from '../events/listener';
import { EventPublisher } from '../events/publisher';
import { createLogger, type Logger } from '../logger';
import { OutboxRelay, type OutboxStore } from '../outbox/relay';
import { flushTraces } from '../tracing/context';
import { startService } from './start-service';
import { untilReachable } from './until-reachable';

/** What every service's app and listeners get from its start-up. */
export interface ServiceContext<C> {
  config: C;
  logger: Logger;
  redis: Redis;
  bus: EventBus;
  /** Call after a write recorded events, so the relay publishes them now. */
  kickRelay: () => void;
}

/** One durable consumer (shared by every pod of the service) and the listeners it runs. */
export interface ConsumerSpec {
  durable: string;
  listeners: Listener[];
  /** Messages handled at once, one at a time per entity (see `EventConsumer`). */
  concurrency?: number;
}

/** The service's database, opened before anything else and closed last. */
export interface OpenedStore<X> {
  /** Added to the context the app and the listeners receive (the pool, the connection). */
  context: X;
  outboxStore: OutboxStore;
  close(): Promise<unknown>;
}

/**
 * A service's own long-lived parts (job workers, a live-update hub), started once the store,
 * NATS and Redis are up. Their `context` reaches the app and the listeners.
 */
export interface ServiceParts<P> {
  context: P;
  /**
   * Runs as soon as shutdown begins, while open requests drain: ends responses that would
   * never finish by themselves (Server-Sent Events streams).
   */
  stopAccepting?: () => Promise<unknown>;
  /** Runs once the consumers have stopped, before NATS drains and the stores close. */
  stop: () => Promise<unknown>;
}

export type PartsFactory<C, X, P> = (context: ServiceContext<C> & X) => Promise<ServiceParts<P>>;

export interface RunServiceOptions<C extends BaseConfig, X, P = object> {
  service: string;
  readConfig: () => C;
  openStore: (config: C, logger: Logger) => Promise<OpenedStore<X>>;
  parts?: PartsFactory<C, X, P> | undefined;
  buildApp: (context: ServiceContext<C> & X & P) => Express;
  consumers: (context: ServiceContext<C> & X & P) => ConsumerSpec[];
}

/**
 * The start-up every service shares, whatever its database: config, the store, NATS (stream),
 * the outbox relay, Redis, the consumers, the HTTP server, and the shutdown in reverse (stop
 * accepting, stop consuming, stop the relay, drain NATS, close the store and Redis). Exits 1
 * with a clear message when the config is invalid or the store cannot be reached in time
 * (`STORE_WAIT_MS`).
 */
export function runService<C extends BaseConfig, X, P = object>(
  options: RunServiceOptions<C, X, P>,
): void {
  const logger = createLogger(options.service);

  const main = async () => {
    const config = options.readConfig();
    const store = await untilReachable(
      'the store',
      () => options.openStore(config, logger),
      logger,
    );

    const bus = await connectEventBus({
      servers: config.NATS_URL,
      name: options.service,
      logger,
      streamReplicas: config.NATS_STREAM_REPLICAS,
    });
    const relay = new OutboxRelay({
      store: store.outboxStore,
      publisher: new EventPublisher(bus.js),
      logger,
    });
    relay.start();

    // Fail commands fast while Redis is down: the rate limiter then lets requests through.
    const redis = new Redis(config.REDIS_URL, { maxRetriesPerRequest: 1 });
    redis.on('error', (err) => logger.warn({ err }, 'redis error'));

    const base: ServiceContext<C> & X = {
      ...store.context,
      config,
      logger,
      redis,
      bus,
      kickRelay: () => relay.kick(),
    };
    const parts = await options.parts?.(base);
    const context = { ...base, ...parts?.context } as ServiceContext<C> & X & P;
    const consumers = options
      .consumers(context)
      .filter((spec) => spec.listeners.length > 0)
      .map((spec) => new EventConsumer(bus, { ...spec, logger }));
    for (const consumer of consumers) await consumer.start();

    await startService({
      app: options.buildApp(context),
      port: config.PORT,
      host: config.LISTEN_ADDRESS,
      portFile: config.PORT_FILE,
      logger,
      onStopAccepting: parts?.stopAccepting ? [parts.stopAccepting] : [],
      onShutdown: [
        () => Promise.all(consumers.map((consumer) => consumer.stop())),
        async () => parts?.stop(),
        () => relay.stop(),
        () => bus.nc.drain(),
        () => store.close(),
        () => redis.quit(),
        // The last spans, of the requests and events the shutdown let finish.
        () => flushTraces(),
      ],
    });
  };

  main().catch((err: unknown) => {
    if (err instanceof ConfigError) logger.fatal({ problems: err.problems }, err.message);
    else logger.fatal({ err }, `${options.service} failed to start`);
    process.exit(1);
  });
}
