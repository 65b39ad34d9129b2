import type { Express } from 'express';
import mongoose, { type Model } from 'mongoose';
import type { BaseConfig } from '../config';
import type { Listener } from '../events/listener';
import { MongoOutboxStore } from '../outbox/mongo-outbox';
import { runService, type ServiceContext } from './run-service';

export type MongoServiceContext<C> = ServiceContext<C>;

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
  runService<C, object>({
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
    buildApp: options.buildApp,
    consumers: (context) => [
      { durable: options.service, listeners: options.listeners?.(context) ?? [] },
    ],
  });
}
