import { randomBytes, randomUUID } from 'node:crypto';
import {
  buildEvent,
  connectEventBus,
  createLogger,
  EventPublisher,
  type EventBus,
  type EventData,
  type Subject,
} from '@taskforge/common';
import { consumerSettled as settledOnBus } from '@taskforge/common/testing';

export const newId = () => randomBytes(12).toString('hex');

/** A connection to the test's nats-server that publishes as another service would. */
export async function eventBus(url: string): Promise<EventBus & { close(): Promise<void> }> {
  const bus = await connectEventBus({
    servers: url,
    name: 'resilience-test',
    logger: createLogger('resilience', { NODE_ENV: 'test' }),
  });
  return { ...bus, close: () => bus.nc.close() };
}

export function publisherOf(bus: EventBus) {
  const publisher = new EventPublisher(bus.js);
  return <S extends Subject>(subject: S, data: EventData<S>, actorId?: string) =>
    publisher.publish(buildEvent(subject, data, actorId ? { actorId } : {}));
}

/** Waits until the durable consumer has handled every event stored so far (see common's). */
export function consumerSettled(bus: EventBus, durable: string, timeoutMs = 60_000) {
  return settledOnBus(bus.jsm, durable, { timeoutMs, intervalMs: 200 });
}

export { randomUUID };
