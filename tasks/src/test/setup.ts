import { randomBytes } from 'node:crypto';
import { startServiceTestStack, type ServiceTestStack } from '@taskforge/common/testing';
import type { Express } from 'express';
import { buildApp } from '../app';
import { readConfig, type TasksConfig } from '../config';
import { Activity } from '../models/activity';
import { Comment } from '../models/comment';
import { Membership } from '../replicas/membership';
import { Task } from '../models/task';
import { AttachmentStorage } from '../services/storage';
import { TaskCache } from '../services/task-cache';

export interface TasksTestContext extends ServiceTestStack {
  app: Express;
  config: TasksConfig;
  storage: AttachmentStorage;
  /** The cache the app uses (same Redis prefix). */
  cache: TaskCache;
  /** Another app on the same servers, with other settings. */
  buildApp(options?: { env?: Record<string, string> }): Express;
}

/**
 * The test stack of common (own database, nats-server, Redis prefix, relay), a bucket of this
 * file's own on the S3 server of `.local/test-env`, and the app on them.
 */
export async function setupTasksTest(
  options: { relay?: boolean; env?: Record<string, string> } = {},
): Promise<TasksTestContext> {
  const stack = await startServiceTestStack({
    service: 'tasks',
    outboxModels: [Task, Comment],
    relay: options.relay,
  });
  await Promise.all([Activity.init(), Membership.init()]);
  const bucket = `tasks-test-${process.pid}-${randomBytes(3).toString('hex')}`;
  const configFor = (overrides: Record<string, string>) =>
    readConfig({ ...process.env, ...stack.env, S3_BUCKET: bucket, ...options.env, ...overrides });
  let config: TasksConfig;
  let storage: AttachmentStorage;
  try {
    config = configFor({});
    storage = new AttachmentStorage(config);
    await storage.ensureBucket();
  } catch (err) {
    await stack.close();
    throw err;
  }
  const build = (buildOptions: { env?: Record<string, string> } = {}) =>
    buildApp({
      config: configFor(buildOptions.env ?? {}),
      logger: stack.logger,
      redis: stack.redis,
      nats: stack.bus.nc,
      redisPrefix: stack.redisPrefix,
      storage,
      onEventsRecorded: () => stack.relay?.kick(),
    });
  return {
    ...stack,
    app: build(),
    config,
    storage,
    cache: new TaskCache(stack.redis, stack.redisPrefix, config.TASK_CACHE_TTL_SECONDS),
    buildApp: build,
  };
}
