import { randomUUID } from 'node:crypto';
import { context, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { InMemorySpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace';
import mongoose, { Schema } from 'mongoose';
import type { EventData } from '../../events/catalogue';
import { connectEventBus, type EventBus } from '../../events/connection';
import { EventConsumer } from '../../events/consumer';
import { Listener } from '../../events/listener';
import { EventPublisher } from '../../events/publisher';
import { applyVersioned } from '../../events/replica';
import { resultFor } from '../../events/versioning';
import { createLogger } from '../../logger';
import { metricsRegistry } from '../../middlewares/metrics';
import {
  MongoOutboxStore,
  outboxPlugin,
  recordEvent,
  type OutboxFields,
} from '../../outbox/mongo-outbox';
import { OutboxRelay } from '../../outbox/relay';
import { startMongo, startNats, waitFor, type TestMongo, type TestNats } from '../../testing';
import { flushTraces } from '../context';
import { startTracing, stopTracing } from '../start';

// One event's trip, traced in memory: a request records it in the outbox, the relay publishes it
// to a real JetStream, and a consumer handles it, failing once so it comes back.

const exporter = new InMemorySpanExporter();
const lines: Array<Record<string, unknown>> = [];
const logger = createLogger(
  'trace-test',
  { LOG_LEVEL: 'info' },
  { write: (line: string) => lines.push(JSON.parse(line) as Record<string, unknown>) },
);

interface Ticket extends OutboxFields {
  title: string;
  price: number;
  userId: string;
  version: number;
}
const ticketSchema = new Schema<Ticket>(
  { title: String, price: Number, userId: String },
  { optimisticConcurrency: true, versionKey: 'version' },
);
outboxPlugin(ticketSchema);
const Ticket = mongoose.model<Ticket>('TracedTicket', ticketSchema);

interface Copy {
  _id: string;
  title: string;
  version: number;
}
const Copy = mongoose.model<Copy>(
  'TracedTicketCopy',
  new Schema<Copy>({ _id: String, title: String, version: Number }),
);

class CopyListener extends Listener<'ticket.created'> {
  readonly subject = 'ticket.created' as const;
  failuresLeft = 1;
  async onMessage(data: EventData<'ticket.created'>, { logger: log }: { logger: typeof logger }) {
    log.info({ ticketId: data.id }, 'copying the ticket');
    if (this.failuresLeft > 0) {
      this.failuresLeft -= 1;
      throw new Error('the first try fails');
    }
    return resultFor(await applyVersioned(Copy, data, { title: data.title }));
  }
}

let mongo: TestMongo;
let nats: TestNats;
let bus: EventBus;
let relay: OutboxRelay;
const store = new MongoOutboxStore([Ticket]);

beforeAll(async () => {
  startTracing('trace-test', { exporter });
  [mongo, nats] = await Promise.all([startMongo(), startNats()]);
  bus = await connectEventBus({ servers: nats.url, name: 'trace-test', logger });
  relay = new OutboxRelay({ store, publisher: new EventPublisher(bus.js), logger });
});

afterAll(async () => {
  await relay.stop();
  await bus.nc.close();
  await Promise.all([mongo.stop(), nats.stop()]);
  await stopTracing();
});

async function finishedSpans(): Promise<ReadableSpan[]> {
  await flushTraces();
  return exporter.getFinishedSpans();
}

function metric(name: string, labels: Record<string, string>): Promise<number | undefined> {
  return metricsRegistry
    .getSingleMetric(name)!
    .get()
    .then(
      (m) =>
        m.values.find((v) => Object.entries(labels).every(([k, l]) => v.labels[k] === l))?.value,
    );
}

describe('a trace across the outbox and JetStream', () => {
  it('continues the recording request in the publish and in every delivery, and logs its ids', async () => {
    const durable = `trace-${randomUUID().slice(0, 8)}`;
    const listener = new CopyListener();
    const consumer = new EventConsumer(bus, {
      durable,
      listeners: [listener],
      logger,
      retryDelayMs: 20,
    });

    // The request: its span is active while the event is recorded and saved.
    const requestSpan = trace.getTracer('test').startSpan('POST /api/tickets', {
      kind: SpanKind.SERVER,
    });
    const doc = await context.with(trace.setSpan(context.active(), requestSpan), async () => {
      const ticket = new Ticket({ title: 'traced', price: 5, userId: 'u1' });
      recordEvent(ticket, 'ticket.created', {
        id: ticket.id as string,
        version: 0,
        title: ticket.title,
        price: ticket.price,
        userId: ticket.userId,
      });
      await ticket.save();
      logger.info('ticket saved');
      return ticket;
    });
    requestSpan.end();
    const traceId = requestSpan.spanContext().traceId;

    // The outbox keeps the request's context with the event, and counts it while it waits.
    const stored = await Ticket.findById(doc._id).lean();
    expect(stored?.outbox[0]?.metadata.traceparent).toBe(
      `00-${traceId}-${requestSpan.spanContext().spanId}-01`,
    );
    expect(await metric('outbox_pending_events', {})).toBe(1);
    expect(await metric('outbox_oldest_pending_age_seconds', {})).toBeGreaterThan(0);

    relay.start();
    await consumer.start();
    try {
      await waitFor(async () => (await Copy.findById(doc.id).lean()) !== null, {
        timeoutMs: 10_000,
      });
      await waitFor(
        async () =>
          (await finishedSpans()).filter((s) => s.name === 'ticket.created process').length === 2,
      );
      expect(await metric('outbox_pending_events', {})).toBe(0);
      expect(await metric('event_consumer_pending_messages', { durable })).toBe(0);
    } finally {
      await consumer.stop();
      await relay.stop();
    }

    const spans = (await finishedSpans()).filter((s) => s.spanContext().traceId === traceId);
    const publish = spans.find((s) => s.name === 'ticket.created publish');
    const deliveries = spans
      .filter((s) => s.name === 'ticket.created process')
      .sort(
        (a, b) =>
          Number(a.attributes['messaging.nats.delivery_count']) -
          Number(b.attributes['messaging.nats.delivery_count']),
      );

    // One trace: request → publish → first delivery (failed) and the redelivery (applied).
    expect(publish?.kind).toBe(SpanKind.PRODUCER);
    expect(publish?.parentSpanContext?.spanId).toBe(requestSpan.spanContext().spanId);
    expect(deliveries).toHaveLength(2);
    for (const delivery of deliveries) {
      expect(delivery.kind).toBe(SpanKind.CONSUMER);
      expect(delivery.parentSpanContext?.spanId).toBe(publish?.spanContext().spanId);
      expect(delivery.links.map((l) => l.context.spanId)).toEqual([publish?.spanContext().spanId]);
      expect(delivery.attributes['messaging.consumer.group.name']).toBe(durable);
    }
    expect(deliveries.map((d) => d.attributes['messaging.nats.delivery_count'])).toEqual([1, 2]);
    expect(deliveries[0]?.status.code).toBe(SpanStatusCode.ERROR);
    expect(deliveries[1]?.attributes['taskforge.event.outcome']).toBe('applied');
    // Log lines written inside a span carry its ids; the listener's lines are the deliveries'.
    const saved = lines.find((l) => l.msg === 'ticket saved');
    expect(saved).toMatchObject({ trace_id: traceId, span_id: requestSpan.spanContext().spanId });
    const copying = lines.filter((l) => l.msg === 'copying the ticket');
    expect(copying.map((l) => l.span_id)).toEqual(deliveries.map((d) => d.spanContext().spanId));
    expect(copying.every((l) => l.trace_id === traceId)).toBe(true);
    const failed = lines.find((l) => l.msg === 'listener failed');
    expect(failed?.span_id).toBe(deliveries[0]?.spanContext().spanId);

    // The consumer counted the failure, the redelivery and the applied event.
    const subject = 'ticket.created';
    expect(await metric('events_handled_total', { durable, subject, outcome: 'failed' })).toBe(1);
    expect(await metric('events_handled_total', { durable, subject, outcome: 'applied' })).toBe(1);
    expect(await metric('events_redelivered_total', { durable, subject })).toBe(1);
  });

  it('counts an event delivered again after it was applied as stale, in the same trace', async () => {
    const durable = `stale-${randomUUID().slice(0, 8)}`;
    const listener = new CopyListener();
    listener.failuresLeft = 0;
    const consumer = new EventConsumer(bus, { durable, listeners: [listener], logger });
    const ticket = new Ticket({ title: 'twice', price: 7, userId: 'u2' });
    const requestSpan = trace.getTracer('test').startSpan('POST /api/tickets');
    const event = context.with(trace.setSpan(context.active(), requestSpan), () =>
      recordEvent(ticket, 'ticket.created', {
        id: ticket.id as string,
        version: 0,
        title: ticket.title,
        price: ticket.price,
        userId: ticket.userId,
      }),
    );
    requestSpan.end();
    // Published twice under two ids, as a second outbox row of the same version would be.
    const publisher = new EventPublisher(bus.js);
    await publisher.publish(event);
    await publisher.publish({ ...event, id: randomUUID() });
    await consumer.start();
    const traceId = requestSpan.spanContext().traceId;
    const deliveries = async () =>
      (await finishedSpans()).filter(
        (s) =>
          s.name === 'ticket.created process' &&
          s.attributes['messaging.consumer.group.name'] === durable,
      );
    try {
      // A new durable replays the stream: the first test's event comes again, already applied.
      await waitFor(
        async () =>
          (await deliveries()).filter((s) => s.spanContext().traceId === traceId).length === 2,
      );
    } finally {
      await consumer.stop();
    }
    const all = await deliveries();
    const outcomes = all
      .filter((s) => s.spanContext().traceId === traceId)
      .map((s) => s.attributes['taskforge.event.outcome'])
      .sort();
    const staleSpans = all.filter((s) => s.attributes['taskforge.event.outcome'] === 'stale');
    expect(
      await metric('events_handled_total', {
        durable,
        subject: 'ticket.created',
        outcome: 'stale',
      }),
    ).toBe(staleSpans.length);
    expect(outcomes).toEqual(['applied', 'stale']);
  });
});
