import type { JetStreamClient, PubAck } from '@nats-io/jetstream';
import { headers as natsHeaders } from '@nats-io/transport-node';
import { context, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { contextFrom, traceContextOf, tracer } from '../tracing/context';
import { eventCatalogue, isSubject } from './catalogue';
import type { EventEnvelope } from './envelope';

/**
 * Publishes a stored event to JetStream. The event id is the `Nats-Msg-Id`, so a retry after a
 * crash (the outbox publishing the same event twice) is dropped by the server.
 *
 * An event recorded inside a trace is published in a `<subject> publish` span, a child of the
 * recording request's span (the trace context the outbox kept), and that span's context goes in
 * the message's `traceparent` header, where consumers continue the trace. An event recorded
 * outside any trace is published as before, with no span and no header.
 */
export class EventPublisher {
  constructor(
    private readonly js: JetStreamClient,
    private readonly timeoutMs = 5000,
  ) {}

  publish(event: EventEnvelope): Promise<PubAck> {
    const ttl = isSubject(event.subject) ? eventCatalogue[event.subject].streamTtl : undefined;
    const options = { msgID: event.id, timeout: this.timeoutMs, ...(ttl ? { ttl } : {}) };
    const body = JSON.stringify(event);
    if (!event.metadata.traceparent) return this.js.publish(event.subject, body, options);

    const span = tracer.startSpan(
      `${event.subject} publish`,
      {
        kind: SpanKind.PRODUCER,
        attributes: {
          'messaging.system': 'nats',
          'messaging.operation.type': 'send',
          'messaging.destination.name': event.subject,
          'messaging.message.id': event.id,
        },
      },
      contextFrom(event.metadata),
    );
    const carrier = traceContextOf(trace.setSpan(context.active(), span));
    const headers = natsHeaders();
    if (carrier.traceparent) headers.set('traceparent', carrier.traceparent);
    if (carrier.tracestate) headers.set('tracestate', carrier.tracestate);
    return this.js.publish(event.subject, body, { ...options, headers }).then(
      (ack) => {
        span.setAttribute('messaging.nats.stream.sequence', ack.seq);
        if (ack.duplicate) span.setAttribute('messaging.nats.duplicate', true);
        span.end();
        return ack;
      },
      (err: unknown) => {
        span.setStatus({ code: SpanStatusCode.ERROR, message: String(err) });
        span.end();
        throw err;
      },
    );
  }
}
