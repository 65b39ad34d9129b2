import { EventConsumer } from '@taskforge/common';
import { startPgServiceTestStack, type PgServiceTestStack } from '@taskforge/common/testing';
import type { Express } from 'express';
import { buildApp } from '../app';
import { readConfig, type TeamsConfig } from '../config';
import { MIGRATIONS_TABLE } from '../db/migration-files';
import { teamsConsumers } from '../events/listeners';
import { migrate } from './migrate';

export interface TeamsTestContext extends PgServiceTestStack {
  app: Express;
  config: TeamsConfig;
  /** Another app on the same servers, with other settings. */
  buildApp(options?: { env?: Record<string, string> }): Express;
  /** Starts the service's durable consumers (directory and audit log). */
  startConsumers(options?: { ackWaitMs?: number }): Promise<EventConsumer[]>;
  /** Stops the consumers started so far (close() does too). */
  stopConsumers(): Promise<void>;
}

/** The PostgreSQL test stack of common, migrated with the real migrations, and the app on it. */
export async function setupTeamsTest(
  options: { relay?: boolean; env?: Record<string, string> } = {},
): Promise<TeamsTestContext> {
  const stack = await startPgServiceTestStack({
    service: 'teams',
    migrate: async (pool) => {
      await migrate(pool, 'up');
    },
    // The migration bookkeeping and the permission names the migrations insert.
    keepTables: [MIGRATIONS_TABLE, 'permissions'],
    relay: options.relay,
  });
  const configFor = (overrides: Record<string, string>) =>
    readConfig({ ...process.env, ...stack.env, ...options.env, ...overrides });
  const build = (buildOptions: { env?: Record<string, string> } = {}) =>
    buildApp({
      config: configFor(buildOptions.env ?? {}),
      logger: stack.logger,
      redis: stack.redis,
      nats: stack.bus.nc,
      pool: stack.pool,
      redisPrefix: stack.redisPrefix,
      onEventsRecorded: () => stack.relay?.kick(),
    });

  const consumers: EventConsumer[] = [];
  return {
    ...stack,
    app: build(),
    config: configFor({}),
    buildApp: build,
    async startConsumers(consumerOptions = {}) {
      const deps = { pool: stack.pool, eventsRecorded: () => stack.relay?.kick() };
      const started = teamsConsumers(deps).map(
        (spec) =>
          new EventConsumer(stack.bus, {
            ...spec,
            logger: stack.logger,
            retryDelayMs: 50,
            maxRetryDelayMs: 200,
            ...consumerOptions,
          }),
      );
      for (const consumer of started) await consumer.start();
      consumers.push(...started);
      return started;
    },
    async stopConsumers() {
      await Promise.all(consumers.splice(0).map((consumer) => consumer.stop()));
    },
    async close() {
      await Promise.all(consumers.splice(0).map((consumer) => consumer.stop()));
      await stack.close();
    },
  };
}
