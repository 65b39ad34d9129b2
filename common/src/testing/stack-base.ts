import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import type { Subject } from '../events/catalogue';
import { connectEventBus, type EventBus } from '../events/connection';
import type { EventEnvelope } from '../events/envelope';
import { EventPublisher } from '../events/publisher';
import { createLogger, type Logger } from '../logger';
import { OutboxRelay, type OutboxStore } from '../outbox/relay';
import { testKeys } from './auth';
import { readEvents, startNats, waitFor, type TestNats } from './nats';

/** What every service's test stack holds, whatever its database. */
export interface TestStackBase {
  nats: TestNats;
  natsUrl: string;
  bus: EventBus;
  logger: Logger;
  redis: Redis;
  /** This file's Redis namespace: pass it to the app so rate-limit counters stay apart. */
  redisPrefix: string;
  /** The relay the service would run (undefined when the file asked for none). */
  relay: OutboxRelay | undefined;
  /** A relay like the service's, not started: tests drive it with `flush()`. */
  newRelay(): OutboxRelay;
  /** Events of one subject about one entity (`data.id`), waiting until `count` arrived. */
  eventsFor(subject: Subject, entityId: string, count?: number): Promise<EventEnvelope[]>;
}

export interface StackParts<S> {
  base: TestStackBase;
  store: S;
  deleteRedisKeys(): Promise<void>;
  /** Stops the relay, NATS and Redis; the caller closes its store. */
  stop(): Promise<void>;
}

/**
 * Starts what a service's test stack needs besides its database: a nats-server of this file's
 * own, a Redis key prefix, the JWT test keys in env, and the outbox relay over the service's
 * store. `openStore` runs while nats-server starts.
 */
export async function startStackParts<S>(options: {
  service: string;
  relay?: boolean | undefined;
  openStore: () => Promise<S>;
  outboxStore: (store: S) => OutboxStore;
}): Promise<StackParts<S>> {
  testKeys();
  const [store, nats] = await Promise.all([options.openStore(), startNats()]);
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
      store: options.outboxStore(store),
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
    store,
    deleteRedisKeys,
    base: {
      nats,
      natsUrl: nats.url,
      bus,
      logger,
      redis,
      redisPrefix,
      relay,
      newRelay,
      eventsFor: (subject, entityId, count = 1) =>
        waitFor(async () => {
          const events = (await readEvents(nats.url, subject)).filter(
            (e) => (e.data as { id?: string }).id === entityId,
          );
          return events.length >= count ? events : undefined;
        }),
    },
    async stop() {
      await relay?.stop();
      await bus.nc.close();
      await deleteRedisKeys();
      await redis.quit();
      await nats.stop();
    },
  };
}
