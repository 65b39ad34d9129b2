import { randomBytes } from 'node:crypto';
import {
  connectEventBus,
  createLogger,
  EventPublisher,
  MongoOutboxStore,
  OutboxRelay,
  type EventBus,
  type EventEnvelope,
  type Subject,
} from '@taskforge/common';
import {
  clearMongo,
  readEvents,
  startMongo,
  startNats,
  testKeys,
  waitFor,
  type TestMongo,
  type TestNats,
} from '@taskforge/common/testing';
import type { Express } from 'express';
import { Redis } from 'ioredis';
import { buildApp } from '../app';
import { readConfig, type AuthConfig } from '../config';
import { User } from '../models/user';

export interface AuthTestContext {
  app: Express;
  config: AuthConfig;
  natsUrl: string;
  bus: EventBus;
  redis: Redis;
  redisPrefix: string;
  /** Another app on the same servers, with other settings or another Redis client. */
  buildApp(options?: { env?: Record<string, string>; redis?: Redis }): Express;
  /** Events of one subject about one entity on the stream, waiting until `count` arrived. */
  eventsFor(subject: Subject, entityId: string, count?: number): Promise<EventEnvelope[]>;
  /** Empties the database and this file's rate-limit counters. */
  reset(): Promise<void>;
  close(): Promise<void>;
}

export function newRedisClient(): Redis {
  const url = process.env.REDIS_URL;
  if (!url) throw new Error('REDIS_URL must point at a Redis server for these tests');
  return new Redis(url, { maxRetriesPerRequest: 1 });
}

/**
 * One database, one nats-server and one Redis key prefix per test file, a relay publishing
 * the outbox as the service does, and an app built like index.ts builds it.
 */
export async function setupAuthTest(env: Record<string, string> = {}): Promise<AuthTestContext> {
  testKeys();
  const [mongo, nats]: [TestMongo, TestNats] = await Promise.all([startMongo(), startNats()]);
  await User.init();
  const logger = createLogger('auth', { NODE_ENV: 'test', LOG_LEVEL: process.env.LOG_LEVEL });
  const bus = await connectEventBus({ servers: nats.url, name: 'auth-test', logger });
  const relay = new OutboxRelay({
    store: new MongoOutboxStore([User]),
    publisher: new EventPublisher(bus.js),
    logger,
    pollIntervalMs: 200,
  });
  relay.start();
  const redis = newRedisClient();
  const redisPrefix = `auth-test-${process.pid}-${randomBytes(4).toString('hex')}`;

  const configFor = (overrides: Record<string, string>) =>
    readConfig({
      ...process.env,
      NODE_ENV: 'test',
      MONGO_URL: mongo.uri,
      NATS_URL: nats.url,
      ...env,
      ...overrides,
    });
  const build = (options: { env?: Record<string, string>; redis?: Redis } = {}) =>
    buildApp({
      config: configFor(options.env ?? {}),
      logger,
      redis: options.redis ?? redis,
      nats: bus.nc,
      redisPrefix,
      onEventsRecorded: () => relay.kick(),
    });

  const deleteRateLimitKeys = async () => {
    const keys: string[] = [];
    let cursor = '0';
    do {
      const [next, batch] = await redis.scan(cursor, 'MATCH', `rl:${redisPrefix}:*`, 'COUNT', 500);
      keys.push(...batch);
      cursor = next;
    } while (cursor !== '0');
    if (keys.length > 0) await redis.del(...keys);
  };

  return {
    app: build(),
    config: configFor({}),
    natsUrl: nats.url,
    bus,
    redis,
    redisPrefix,
    buildApp: build,
    eventsFor: (subject, entityId, count = 1) =>
      waitFor(async () => {
        const events = (await readEvents(nats.url, subject)).filter((e) => e.data.id === entityId);
        return events.length >= count ? events : undefined;
      }),
    async reset() {
      await Promise.all([clearMongo(), deleteRateLimitKeys()]);
    },
    async close() {
      await relay.stop();
      await bus.nc.close();
      await deleteRateLimitKeys();
      await redis.quit();
      await Promise.all([mongo.stop(), nats.stop()]);
    },
  };
}
