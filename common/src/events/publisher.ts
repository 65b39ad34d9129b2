import type { JetStreamClient, PubAck } from '@nats-io/jetstream';
import { eventCatalogue, isSubject } from './catalogue';
import type { EventEnvelope } from './envelope';

/**
 * Publishes a stored event to JetStream. The event id is the `Nats-Msg-Id`, so a retry after a
 * crash (the outbox publishing the same event twice) is dropped by the server.
 */
export class EventPublisher {
  constructor(
    private readonly js: JetStreamClient,
    private readonly timeoutMs = 5000,
  ) {}

  publish(event: EventEnvelope): Promise<PubAck> {
    const ttl = isSubject(event.subject) ? eventCatalogue[event.subject].streamTtl : undefined;
    return this.js.publish(event.subject, JSON.stringify(event), {
      msgID: event.id,
      timeout: this.timeoutMs,
      ...(ttl ? { ttl } : {}),
    });
  }
}
