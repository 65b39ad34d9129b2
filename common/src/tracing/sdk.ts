/*
 * The OpenTelemetry SDK as the services run it. Loaded by start.ts only when tracing is on:
 * the SDK and its instrumentations weigh about 35 MB and a quarter of a second at start-up,
 * which a service without a collector should not pay.
 */
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { ZipkinExporter } from '@opentelemetry/exporter-zipkin';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { IORedisInstrumentation } from '@opentelemetry/instrumentation-ioredis';
import { MongoDBInstrumentation } from '@opentelemetry/instrumentation-mongodb';
import { MongooseInstrumentation } from '@opentelemetry/instrumentation-mongoose';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { NodeSDK } from '@opentelemetry/sdk-node';
import type { SpanExporter } from '@opentelemetry/sdk-trace';
import { routeTemplate } from './route';
import type { TraceExport } from './start';

/** Paths that probes and scrapers call every few seconds: a trace of each would bury the rest. */
const UNTRACED_PATHS = new Set(['/healthz', '/readyz', '/metrics']);

/**
 * Spans: every HTTP request (server and client), named by its Express route, each MongoDB,
 * PostgreSQL and Redis call made inside a traced request or event, and common's own spans for
 * publishing and handling events. Database calls outside any span (the relay's poll, a job's
 * timer) start no trace of their own. Metrics and logs stay with Prometheus and pino.
 */
export function createSdk(serviceName: string, to: SpanExporter | TraceExport): NodeSDK {
  // Each exporter reads its endpoint from the environment (OTEL_EXPORTER_OTLP_*,
  // OTEL_EXPORTER_ZIPKIN_ENDPOINT).
  let exporter: SpanExporter;
  if (to === 'otlp') exporter = new OTLPTraceExporter();
  else if (to === 'zipkin') exporter = new ZipkinExporter();
  else exporter = to;
  return new NodeSDK({
    serviceName,
    traceExporter: exporter,
    metricReaders: [],
    logRecordProcessors: [],
    instrumentations: [
      new HttpInstrumentation({
        ignoreIncomingRequestHook: (req) => UNTRACED_PATHS.has((req.url ?? '').split('?')[0] ?? ''),
        // The server span is named by the route Express matched ("PATCH /api/tasks/:id"), read
        // from the request as the response closes. Express's own instrumentation would do it
        // by wrapping every middleware of every request: the profile of a traced service had it
        // at a twentieth of the busy time, for a span per handler that tells nothing more.
        applyCustomAttributesOnSpan: (span, req) => {
          // A server request, once Express has routed it (an outgoing one has no route).
          const route = routeTemplate(req as { baseUrl?: string; route?: unknown });
          if (route === 'unmatched') return;
          span.setAttribute('http.route', route);
          span.updateName(`${req.method ?? 'GET'} ${route}`);
        },
      }),
      // A mongoose call's own span stands for the driver's commands under it.
      new MongooseInstrumentation({
        suppressInternalInstrumentation: true,
        requireParentSpan: true,
      }),
      new MongoDBInstrumentation({ requireParentSpan: true }),
      new PgInstrumentation({ requireParentSpan: true }),
      new IORedisInstrumentation({ requireParentSpan: true }),
    ],
  });
}
