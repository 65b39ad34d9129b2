import type { Model } from 'mongoose';
import { MongoOutboxStore } from '../outbox/mongo-outbox';
import { clearMongo, startMongo, type TestMongo } from './mongo';
import { startStackParts, type TestStackBase } from './stack-base';

export interface ServiceTestStack extends TestStackBase {
  mongo: TestMongo;
  /** What a service's `readConfig` needs on top of `process.env` to reach these servers. */
  env: Record<string, string>;
  /** Empties the database and this file's Redis keys. */
  reset(): Promise<void>;
  close(): Promise<void>;
}

/**
 * What a MongoDB-backed service's tests run on: a database, a nats-server and a Redis key
 * prefix of this test file's own, the JWT test keys in env, and the outbox relay the service
 * runs, publishing to the real stream.
 */
export async function startServiceTestStack(options: {
  service: string;
  // The models hold different documents; only their outbox field and indexes are used here.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  outboxModels: Model<any>[];
  relay?: boolean;
}): Promise<ServiceTestStack> {
  const parts = await startStackParts({
    service: options.service,
    relay: options.relay,
    openStore: async () => {
      const mongo = await startMongo();
      await Promise.all(options.outboxModels.map((model) => model.init()));
      return mongo;
    },
    outboxStore: () => new MongoOutboxStore(options.outboxModels),
  });
  const mongo = parts.store;

  return {
    ...parts.base,
    mongo,
    env: { NODE_ENV: 'test', MONGO_URL: mongo.uri, NATS_URL: parts.base.natsUrl },
    async reset() {
      await Promise.all([clearMongo(), parts.deleteRedisKeys()]);
    },
    async close() {
      await parts.stop();
      await mongo.stop();
    },
  };
}
