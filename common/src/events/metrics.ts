import { Counter, Gauge } from 'prom-client';
import { metricsRegistry, sharedWhileReading } from '../middlewares/metrics';
import { EVENT_STREAM } from './catalogue';
import type { EventBus } from './connection';

/**
 * What a consumer did with a delivery: `applied`, `stale` (that version or a newer one was
 * already applied: ignored), `waiting` (a later version than the next: redelivered once the
 * earlier event is in), `failed` (the listener threw: redelivered), `terminated` (malformed, an
 * unknown schema version, or out of deliveries) or `unhandled` (no listener for the subject).
 */
export type HandledOutcome =
  'applied' | 'stale' | 'waiting' | 'failed' | 'terminated' | 'unhandled';

export const eventsHandled = new Counter({
  name: 'events_handled_total',
  help: 'Event deliveries handled, by durable consumer, subject and outcome',
  labelNames: ['durable', 'subject', 'outcome'] as const,
  registers: [metricsRegistry],
});

export const eventsRedelivered = new Counter({
  name: 'events_redelivered_total',
  help: 'Deliveries of an event after its first, by durable consumer and subject',
  labelNames: ['durable', 'subject'] as const,
  registers: [metricsRegistry],
});

/** The durables this process consumes, read from JetStream when the metrics are scraped. */
const durables = new Map<string, EventBus>();

export function watchDurable(durable: string, bus: EventBus): void {
  durables.set(durable, bus);
}

export function unwatchDurable(durable: string, bus: EventBus): void {
  if (durables.get(durable) === bus) durables.delete(durable);
}

interface ConsumerFigures {
  pending: number;
  ackPending: number;
  redelivered: number;
}

/** Each durable's figures from one `consumers.info`, shared by the three gauges of one scrape. */
const consumerFigures = sharedWhileReading(async () => {
  const out = new Map<string, ConsumerFigures>();
  await Promise.all(
    [...durables].map(async ([durable, bus]) => {
      try {
        const info = await bus.jsm.consumers.info(EVENT_STREAM, durable);
        out.set(durable, {
          pending: info.num_pending,
          ackPending: info.num_ack_pending,
          redelivered: info.num_redelivered,
        });
      } catch {
        // NATS is away: no figure rather than a stale one; /readyz says why.
      }
    }),
  );
  return out;
});

function consumerGauge(name: string, help: string, figure: keyof ConsumerFigures): void {
  new Gauge({
    name,
    help,
    labelNames: ['durable'] as const,
    registers: [metricsRegistry],
    async collect() {
      this.reset();
      for (const [durable, figures] of await consumerFigures()) {
        this.set({ durable }, figures[figure]);
      }
    },
  });
}

consumerGauge(
  'event_consumer_pending_messages',
  'Stream messages not yet delivered to the durable consumer (its lag)',
  'pending',
);
consumerGauge(
  'event_consumer_ack_pending_messages',
  'Messages delivered to the durable consumer and not yet acknowledged',
  'ackPending',
);
consumerGauge(
  'event_consumer_redelivered_messages',
  'Messages delivered more than once and not yet acknowledged',
  'redelivered',
);
