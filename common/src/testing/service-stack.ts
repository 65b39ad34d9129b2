import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import type { Model } from 'mongoose';
import type { Subject } from '../events/catalogue';
import { connectEventBus, type EventBus } from '../events/connection';
import type { EventEnvelope } from '../events/envelope';
import { EventPublisher } from '../events/publisher';
import { createLogger, type Logger } from '../logger';
import { MongoOutboxStore } from '../outbox/mongo-outbox';
import { OutboxRelay } from '../outbox/relay';
import { testKeys } from './auth';
import { clearMongo, startMongo, type TestMongo } from './mongo';
import { readEvents, startNats, waitFor, type TestNats } from './nats';

export interface ServiceTestStack {
  mongo: TestMongo;
  nats: TestNats;
  natsUrl: string;
  bus: EventBus;
  logger: Logger;
  redis: Redis;
  /** This file's Redis namespace: pass it to the app so rate-limit counters stay apart. */
  redisPrefix: string;
  /** What a service's `readConfig` needs on top of `process.env` to reach these servers. */
  env: Record<string, string>;
  /** The relay the service would run (undefined when the file asked for none). */
  relay: OutboxRelay | undefined;
  /** A relay like the service's, not started: tests drive it with `flush()`. */
  newRelay(): OutboxRelay;
  /** Events of one subject about one entity (`data.id`), waiting until `count` arrived. */
  eventsFor(subject: Subject, entityId: string, count?: number): Promise<EventEnvelope[]>;
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
  testKeys();
  const [mongo, nats] = await Promise.all([startMongo(), startNats()]);
  await Promise.all(options.outboxModels.map((model) => model.init()));
  const logger = createLogger(options.service, {
    NODE_ENV: 'test',
    LOG_LEVEL: process.env.LOG_LEVEL,
  });
  const bus = await connectEventBus({
    servers: nats.url,
    name: `${options.service}-test`,
    logger,
  });
  const newRelay = () =>
    new OutboxRelay({
      store: new MongoOutboxStore(options.outboxModels),
      publisher: new EventPublisher(bus.js),
      logger,
      pollIntervalMs: 200,
    });
  const relay = options.relay === false ? undefined : newRelay();
  relay?.start();

  const redisUrl = process.env.REDIS_URL;
  if (!redisUrl) throw new Error('REDIS_URL must point at a Redis server for these tests');
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
  const redisPrefix = `${options.service}-test-${process.pid}-${randomBytes(4).toString('hex')}`;

  const deleteRedisKeys = async () => {
    const keys: string[] = [];
    let cursor = '0';
    do {
      const [next, batch] = await redis.scan(cursor, 'MATCH', `*${redisPrefix}*`, 'COUNT', 500);
      keys.push(...batch);
      cursor = next;
    } while (cursor !== '0');
    if (keys.length > 0) await redis.del(...keys);
  };

  return {
    mongo,
    nats,
    natsUrl: nats.url,
    bus,
    logger,
    redis,
    redisPrefix,
    env: { NODE_ENV: 'test', MONGO_URL: mongo.uri, NATS_URL: nats.url },
    relay,
    newRelay,
    eventsFor: (subject, entityId, count = 1) =>
      waitFor(async () => {
        const events = (await readEvents(nats.url, subject)).filter(
          (e) => (e.data as { id?: string }).id === entityId,
        );
        return events.length >= count ? events : undefined;
      }),
    async reset() {
      await Promise.all([clearMongo(), deleteRedisKeys()]);
    },
    async close() {
      await relay?.stop();
      await bus.nc.close();
      await deleteRedisKeys();
      await redis.quit();
      await Promise.all([mongo.stop(), nats.stop()]);
    },
  };
}
