import {
  buildEvent,
  EventConsumer,
  EventPublisher,
  type EventData,
  type Subject,
} from '@taskforge/common';
import { consumerSettled } from '@taskforge/common/testing';
import type { Express } from 'express';
import { TASKS_CONSUMER_CONCURRENCY, tasksListeners } from '../events/listeners';
import { setupTasksTest, type TasksTestContext } from './setup';

/** What a test of the listeners through the stream works on. */
export interface ConsumerFixture {
  readonly ctx: TasksTestContext;
  readonly app: Express;
  /** The consumer's durable name, to read its state on the stream. */
  readonly durable: string;
  /** Publishes an event as the service that owns its entity would. */
  publish<S extends Subject>(subject: S, data: EventData<S>): Promise<unknown>;
  /** Waits until the consumer has nothing pending or unacknowledged: every event was handled. */
  settled(): Promise<void>;
}

/**
 * The file's stack without a relay, and this service's listeners running on its durable
 * consumer as in production, with short waits so that a retried event comes back quickly.
 */
export function consumerPerFile(): ConsumerFixture {
  const durable = 'tasks';
  let ctx: TasksTestContext | undefined;
  let consumer: EventConsumer | undefined;
  let publisher: EventPublisher | undefined;
  const started = () => {
    if (!ctx || !publisher) throw new Error("the fixture's stack is read before its hooks ran");
    return { ctx, publisher };
  };
  beforeAll(async () => {
    ctx = await setupTasksTest({ relay: false });
    publisher = new EventPublisher(ctx.bus.js);
    consumer = new EventConsumer(ctx.bus, {
      durable,
      listeners: tasksListeners(),
      logger: ctx.logger,
      ackWaitMs: 1000,
      retryDelayMs: 20,
      maxRetryDelayMs: 100,
      concurrency: TASKS_CONSUMER_CONCURRENCY,
    });
    await consumer.start();
  });
  afterAll(async () => {
    await consumer?.stop();
    await ctx?.close();
  });
  return {
    get ctx() {
      return started().ctx;
    },
    get app() {
      return started().ctx.app;
    },
    durable,
    publish: (subject, data) => started().publisher.publish(buildEvent(subject, data)),
    settled: () => consumerSettled(started().ctx.bus.jsm, durable),
  };
}
