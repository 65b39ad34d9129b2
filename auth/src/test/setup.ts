import { startServiceTestStack, type ServiceTestStack } from '@taskforge/common/testing';
import type { Express } from 'express';
import { Redis } from 'ioredis';
import { buildApp } from '../app';
import { readConfig, type AuthConfig } from '../config';
import { PasswordReset } from '../models/password-reset';
import { User } from '../models/user';

export interface AuthTestContext extends ServiceTestStack {
  app: Express;
  config: AuthConfig;
  /** Another app on the same servers, with other settings or another Redis client. */
  buildApp(options?: { env?: Record<string, string>; redis?: Redis }): Express;
}

export function newRedisClient(): Redis {
  const url = process.env.REDIS_URL;
  if (!url) throw new Error('REDIS_URL must point at a Redis server for these tests');
  return new Redis(url, { maxRetriesPerRequest: 1 });
}

/** The test stack of common (own database, nats-server, Redis prefix, relay) and the app on it. */
export async function setupAuthTest(env: Record<string, string> = {}): Promise<AuthTestContext> {
  const stack = await startServiceTestStack({
    service: 'auth',
    outboxModels: [User, PasswordReset],
  });
  const configFor = (overrides: Record<string, string>) =>
    readConfig({ ...process.env, ...stack.env, ...env, ...overrides });
  const build = (options: { env?: Record<string, string>; redis?: Redis } = {}) =>
    buildApp({
      config: configFor(options.env ?? {}),
      logger: stack.logger,
      redis: options.redis ?? stack.redis,
      nats: stack.bus.nc,
      redisPrefix: stack.redisPrefix,
      onEventsRecorded: () => stack.relay?.kick(),
    });
  return { ...stack, app: build(), config: configFor({}), buildApp: build };
}
