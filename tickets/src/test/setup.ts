import { randomBytes } from 'node:crypto';
import {
  connectEventBus,
  createLogger,
  EventPublisher,
  MongoOutboxStore,
  OutboxRelay,
  type EventBus,
  type EventEnvelope,
  type Logger,
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
import { readConfig, type TicketsConfig } from '../config';
import { Ticket } from '../models/ticket';

export interface TicketsTestContext {
  app: Express;
  config: TicketsConfig;
  logger: Logger;
  natsUrl: string;
  bus: EventBus;
  redis: Redis;
  redisPrefix: string;
  /** The relay index.ts would run; undefined when the file asked for none. */
  relay: OutboxRelay | undefined;
  /** A relay like the service's, not started: tests drive it with `flush()`. */
  newRelay(): OutboxRelay;
  /** Another app on the same servers, with other settings. */
  buildApp(options?: { env?: Record<string, string> }): Express;
  /** Events of one subject about one ticket on the stream, waiting until `count` arrived. */
  eventsFor(subject: Subject, ticketId: string, count?: number): Promise<EventEnvelope[]>;
  /** Empties the database and this file's rate-limit counters. */
  reset(): Promise<void>;
  close(): Promise<void>;
}

/**
 * One database, one nats-server and one Redis key prefix per test file, a relay publishing the
 * outbox as the service does (unless `relay: false`), and an app built like index.ts builds it.
 */
export async function setupTicketsTest(
  options: { relay?: boolean; env?: Record<string, string> } = {},
): Promise<TicketsTestContext> {
  testKeys();
  const [mongo, nats]: [TestMongo, TestNats] = await Promise.all([startMongo(), startNats()]);
  await Ticket.init();
  const logger = createLogger('tickets', { NODE_ENV: 'test', LOG_LEVEL: process.env.LOG_LEVEL });
  const bus = await connectEventBus({ servers: nats.url, name: 'tickets-test', logger });
  const newRelay = () =>
    new OutboxRelay({
      store: new MongoOutboxStore([Ticket]),
      publisher: new EventPublisher(bus.js),
      logger,
      pollIntervalMs: 200,
    });
  const relay = options.relay === false ? undefined : newRelay();
  relay?.start();

  const redisUrl = process.env.REDIS_URL;
  if (!redisUrl) throw new Error('REDIS_URL must point at a Redis server for these tests');
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
  const redisPrefix = `tickets-test-${process.pid}-${randomBytes(4).toString('hex')}`;

  const configFor = (overrides: Record<string, string>) =>
    readConfig({
      ...process.env,
      NODE_ENV: 'test',
      MONGO_URL: mongo.uri,
      NATS_URL: nats.url,
      ...options.env,
      ...overrides,
    });
  const build = (buildOptions: { env?: Record<string, string> } = {}) =>
    buildApp({
      config: configFor(buildOptions.env ?? {}),
      logger,
      redis,
      nats: bus.nc,
      redisPrefix,
      onEventsRecorded: () => relay?.kick(),
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
    logger,
    natsUrl: nats.url,
    bus,
    redis,
    redisPrefix,
    relay,
    newRelay,
    buildApp: build,
    eventsFor: (subject, ticketId, count = 1) =>
      waitFor(async () => {
        const events = (await readEvents(nats.url, subject)).filter((e) => e.data.id === ticketId);
        return events.length >= count ? events : undefined;
      }),
    async reset() {
      await Promise.all([clearMongo(), deleteRateLimitKeys()]);
    },
    async close() {
      await relay?.stop();
      await bus.nc.close();
      await deleteRateLimitKeys();
      await redis.quit();
      await Promise.all([mongo.stop(), nats.stop()]);
    },
  };
}
