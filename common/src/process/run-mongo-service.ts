import type { Express } from 'express';
import mongoose, { type Model } from 'mongoose';
import type { BaseConfig } from '../config';
import type { Listener } from '../events/listener';
import { MongoOutboxStore } from '../outbox/mongo-outbox';
import { runService, type PartsFactory, type ServiceContext } from './run-service';

export type MongoServiceContext<C> = ServiceContext<C>;

export interface MongoServiceOptions<C extends BaseConfig & { MONGO_URL: string }, P = object> {
  service: string;
  readConfig: () => C;
  /** Models whose documents carry an outbox; their indexes are built at start-up too. */
  // The models hold different documents; only their outbox field and indexes are used here.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  outboxModels: Model<any>[];
  /** The service's own long-lived parts (job workers, a live-update hub), if it has any. */
  parts?: PartsFactory<C, object, P>;
  buildApp: (context: MongoServiceContext<C> & P) => Express;
  /** This service's event listeners, run on its durable consumer (named after the service). */
  listeners?: (context: MongoServiceContext<C> & P) => Listener[];
  /** Messages the listeners handle at once, one at a time per entity (default 1). */
  consumerConcurrency?: number;
}

/**
 * The whole start-up of a MongoDB-backed service: config, MongoDB, NATS (stream), the outbox
 * relay, Redis, the listeners, the HTTP server, and the shutdown in reverse (stop accepting,
 * stop consuming, stop the relay, drain NATS, close MongoDB and Redis). Exits 1 with a clear
 * message when the config is invalid or a store cannot be reached.
 */
export function runMongoService<C extends BaseConfig & { MONGO_URL: string }, P = object>(
  options: MongoServiceOptions<C, P>,
): void {
  runService<C, object, P>({
    service: options.service,
    readConfig: options.readConfig,
    openStore: async (config) => {
      await mongoose.connect(config.MONGO_URL, { serverSelectionTimeoutMS: 10_000 });
      await Promise.all(options.outboxModels.map((model) => model.init()));
      return {
        context: {},
        outboxStore: new MongoOutboxStore(options.outboxModels),
        close: () => mongoose.disconnect(),
      };
    },
    parts: options.parts,
    buildApp: options.buildApp,
    consumers: (context) => [
      {
        durable: options.service,
        listeners: options.listeners?.(context) ?? [],
        concurrency: options.consumerConcurrency,
      },
    ],
  });
}
