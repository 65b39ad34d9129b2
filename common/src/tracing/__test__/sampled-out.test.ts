import { randomUUID } from 'node:crypto';
import { context, trace } from '@opentelemetry/api';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace';
import pino from 'pino';
import type { EventData } from '../../events/catalogue';
import { connectEventBus, type EventBus } from '../../events/connection';
import { EventConsumer } from '../../events/consumer';
import { buildEvent } from '../../events/envelope';
import { Listener } from '../../events/listener';
import { EventPublisher } from '../../events/publisher';
import { startNats, waitFor, type TestNats } from '../../testing';
import { contextFrom, flushTraces, traceContextOf } from '../context';
import { startTracing, stopTracing } from '../start';

// Sampling decided at the edge holds across the bus: a request left out by the sampler leaves
// out its publish and every delivery too, so no trace is kept in part, even where the sampler
// would keep every trace that starts there.

const exporter = new InMemorySpanExporter();
const logger = pino({ level: 'silent' });
let nats: TestNats;
let bus: EventBus;

beforeAll(async () => {
  // The SDK reads its sampler from the process' environment, once, as it starts: set for that
  // moment alone, since other test files of this worker share the environment.
  process.env.OTEL_TRACES_SAMPLER = 'parentbased_traceidratio';
  // Every new trace is kept: only a decision carried in from upstream leaves one out.
  process.env.OTEL_TRACES_SAMPLER_ARG = '1';
  try {
    startTracing('sampled-out', { exporter });
  } finally {
    delete process.env.OTEL_TRACES_SAMPLER;
    delete process.env.OTEL_TRACES_SAMPLER_ARG;
  }
  nats = await startNats();
  bus = await connectEventBus({ servers: nats.url, name: 'sampled-out', logger });
});

afterAll(async () => {
  await bus.nc.close();
  await nats.stop();
  await stopTracing();
});

it('keeps no span of a request the sampler left out, across the publish and the consumer', async () => {
  const seen: Array<ReturnType<typeof traceContextOf>> = [];
  class Seen extends Listener<'ticket.created'> {
    readonly subject = 'ticket.created' as const;
    onMessage(_data: EventData<'ticket.created'>) {
      seen.push(traceContextOf());
    }
  }
  // The request arrives with a trace its caller chose not to keep (flags 00).
  const upstream = contextFrom({
    traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00',
  });
  const request = trace.getTracer('test').startSpan('POST /api/tickets', {}, upstream);
  const event = context.with(trace.setSpan(context.active(), request), () =>
    buildEvent('ticket.created', {
      id: '65a1b2c3d4e5f60718293a4c',
      version: 0,
      title: 'left out',
      price: 3,
      userId: 'u3',
    }),
  );
  request.end();
  // The context travels, marked not sampled (flags 00), so each hop makes the same decision.
  const traceId = request.spanContext().traceId;
  expect(traceId).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
  expect(event.metadata.traceparent).toMatch(new RegExp(`^00-${traceId}-[0-9a-f]{16}-00$`));

  await new EventPublisher(bus.js).publish(event);
  const consumer = new EventConsumer(bus, {
    durable: `sampled-${randomUUID().slice(0, 8)}`,
    listeners: [new Seen()],
    logger,
  });
  await consumer.start();
  try {
    await waitFor(() => seen.length === 1);
  } finally {
    await consumer.stop();
  }
  expect(seen[0]?.traceparent).toMatch(new RegExp(`^00-${traceId}-[0-9a-f]{16}-00$`));
  await flushTraces();
  expect(exporter.getFinishedSpans()).toEqual([]);
});
