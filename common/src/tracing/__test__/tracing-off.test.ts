import pino from 'pino';
import { EVENT_STREAM } from '../../events/catalogue';
import { connectEventBus, type EventBus } from '../../events/connection';
import { buildEvent } from '../../events/envelope';
import { EventPublisher } from '../../events/publisher';
import { startNats, type TestNats } from '../../testing';
import { traceContextOf, traceIdsForLog, withTraceFrom } from '../context';
import { startTracing, traceExportOf } from '../start';

// With no OTLP endpoint nothing starts: events carry no trace context and messages no header.

let nats: TestNats;
let bus: EventBus;

beforeAll(async () => {
  nats = await startNats();
  bus = await connectEventBus({
    servers: nats.url,
    name: 'off-test',
    logger: pino({ level: 'silent' }),
  });
});

afterAll(async () => {
  await bus.nc.close();
  await nats.stop();
});

it('starts only when an endpoint is configured', () => {
  expect(traceExportOf({})).toBeUndefined();
  expect(traceExportOf({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318' })).toBe('otlp');
  expect(traceExportOf({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://c:4318/v1/traces' })).toBe(
    'otlp',
  );
  expect(
    traceExportOf({
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318',
      OTEL_SDK_DISABLED: 'true',
    }),
  ).toBeUndefined();
  expect(traceExportOf({ OTEL_TRACES_EXPORTER: 'zipkin' })).toBeUndefined();
  expect(
    traceExportOf({
      OTEL_TRACES_EXPORTER: 'zipkin',
      OTEL_EXPORTER_ZIPKIN_ENDPOINT: 'http://127.0.0.1:9411/api/v2/spans',
    }),
  ).toBe('zipkin');
  expect(startTracing('off-test', { env: {} })).toBe(false);
});

it('publishes an event with no trace context and no header, and runs carried work as is', async () => {
  const event = buildEvent('ticket.deleted', {
    id: '65a1b2c3d4e5f60718293a4b',
    version: 1,
    title: 'gone',
    price: 1,
    userId: 'u1',
  });
  expect(event.metadata).toEqual({});
  const ack = await new EventPublisher(bus.js).publish(event);
  const stored = await bus.jsm.streams.getMessage(EVENT_STREAM, { seq: ack.seq });
  expect(stored?.header?.get('traceparent') ?? '').toBe('');
  expect(stored?.json<{ id: string }>().id).toBe(event.id);

  const result = await withTraceFrom(
    { traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' },
    'work',
    async () => {
      // Nothing is traced, so nothing reaches a log line or a carrier.
      expect(traceIdsForLog()).toEqual({});
      expect(traceContextOf()).toEqual({});
      return 42;
    },
  );
  expect(result).toBe(42);
});
