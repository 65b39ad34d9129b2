import { startServiceTestStack, type ServiceTestStack } from '@taskforge/common/testing';
import type { Express } from 'express';
import { buildApp } from '../app';
import { readConfig, type TicketsConfig } from '../config';
import { Ticket } from '../models/ticket';

/** Consumer timings for tests: a redelivery within a second, retries in milliseconds. */
export const FAST_REDELIVERY = { ackWaitMs: 1000, retryDelayMs: 20, maxRetryDelayMs: 100 };

export interface TicketsTestContext extends ServiceTestStack {
  app: Express;
  config: TicketsConfig;
  /** Another app on the same servers, with other settings. */
  buildApp(options?: { env?: Record<string, string> }): Express;
}

/** The test stack of common (own database, nats-server, Redis prefix, relay) and the app on it. */
export async function setupTicketsTest(
  options: { relay?: boolean; env?: Record<string, string> } = {},
): Promise<TicketsTestContext> {
  const stack = await startServiceTestStack({
    service: 'tickets',
    outboxModels: [Ticket],
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
      redisPrefix: stack.redisPrefix,
      onEventsRecorded: () => stack.relay?.kick(),
    });
  return { ...stack, app: build(), config: configFor({}), buildApp: build };
}
