import {
  buildEvent,
  EventConsumer,
  EventPublisher,
  type EventData,
  type EventEnvelope,
  type EventMetadata,
  type Subject,
} from '@taskforge/common';
import {
  consumerSettled,
  startServiceTestStack,
  type ServiceTestStack,
} from '@taskforge/common/testing';
import type { Express } from 'express';
import { buildApp } from '../app';
import { readConfig, type NotificationsConfig } from '../config';
import { EmailDelivery } from '../models/email-delivery';
import { Membership } from '../replicas/membership';
import { Notification } from '../models/notification';
import { TaskReplica } from '../replicas/task';
import { TaskComment } from '../replicas/task-comment';
import { TeamReplica } from '../replicas/team';
import { UserReplica } from '../replicas/user';
import { CONSUMER_CONCURRENCY, NotificationServices } from '../services/notification-services';

export const DURABLE = 'notifications';

export interface Instance {
  app: Express;
  services: NotificationServices;
}

export interface NotificationsTestContext extends ServiceTestStack {
  app: Express;
  config: NotificationsConfig;
  services: NotificationServices;
  consumer: EventConsumer;
  /** Publishes an event as its owner's relay would. */
  publish<S extends Subject>(
    subject: S,
    data: EventData<S>,
    metadata?: EventMetadata,
  ): Promise<EventEnvelope<S>>;
  /** Waits until the consumer has handled (acked) everything published so far. */
  settled(): Promise<void>;
  /** Another instance (pod) of the service on the same MongoDB, Redis prefix and settings. */
  startInstance(): Promise<Instance>;
}

/**
 * The test stack of common (own database, nats-server, Redis prefix) with the service's
 * listeners running on its durable consumer, the app, and a short heartbeat and email backoff.
 */
export async function setupNotificationsTest(
  options: { env?: Record<string, string>; worker?: boolean } = {},
): Promise<NotificationsTestContext> {
  const stack = await startServiceTestStack({
    service: 'notifications',
    outboxModels: [],
    relay: false,
  });
  await Promise.all(
    [
      Notification,
      EmailDelivery,
      UserReplica,
      TeamReplica,
      Membership,
      TaskReplica,
      TaskComment,
    ].map((model) => model.init()),
  );
  const config = readConfig({
    ...process.env,
    ...stack.env,
    SMTP_URL: 'smtp://127.0.0.1:9',
    SSE_HEARTBEAT_MS: '300',
    SSE_RETRY_MS: '1000',
    EMAIL_ATTEMPTS: '6',
    EMAIL_BACKOFF_MS: '50',
    ...options.env,
  });
  const instances: NotificationServices[] = [];
  const startInstance = async (): Promise<Instance> => {
    const services = new NotificationServices({
      config,
      logger: stack.logger,
      redis: stack.redis,
      redisPrefix: stack.redisPrefix,
    });
    await services.start({ schedule: false, worker: options.worker ?? false });
    instances.push(services);
    const app = buildApp({
      config,
      logger: stack.logger,
      redis: stack.redis,
      nats: stack.bus.nc,
      redisPrefix: stack.redisPrefix,
      inbox: services.inbox,
      hub: services.hub,
    });
    return { app, services };
  };

  const { app, services } = await startInstance();
  const consumer = new EventConsumer(stack.bus, {
    durable: DURABLE,
    listeners: services.listeners(),
    logger: stack.logger,
    ackWaitMs: 2000,
    maxDeliver: 20,
    retryDelayMs: 20,
    maxRetryDelayMs: 200,
    concurrency: CONSUMER_CONCURRENCY,
  });
  await consumer.start();
  const publisher = new EventPublisher(stack.bus.js);

  return {
    ...stack,
    app,
    config,
    services,
    consumer,
    startInstance,
    async publish(subject, data, metadata = {}) {
      const event = buildEvent(subject, data, metadata);
      await publisher.publish(event);
      return event;
    },
    async settled() {
      await consumerSettled(stack.bus.jsm, DURABLE);
    },
    async close() {
      await consumer.stop();
      for (const instance of instances) await instance.stop();
      await stack.close();
    },
  };
}
