/*
 * Turns tracing on for a service process. Imported by each service's `src/tracing.ts`, the
 * first import of its entry point, so the instrumentations are in place before express, http,
 * mongoose, pg or ioredis are loaded: a module loaded before them is never patched.
 *
 * This file imports only OpenTelemetry, never the rest of common, which would load those
 * libraries first.
 */
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { ExpressInstrumentation, ExpressLayerType } from '@opentelemetry/instrumentation-express';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { IORedisInstrumentation } from '@opentelemetry/instrumentation-ioredis';
import { MongoDBInstrumentation } from '@opentelemetry/instrumentation-mongodb';
import { MongooseInstrumentation } from '@opentelemetry/instrumentation-mongoose';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import type { SpanExporter } from '@opentelemetry/sdk-trace';

/** Paths that probes and scrapers call every few seconds: a trace of each would bury the rest. */
const UNTRACED_PATHS = new Set(['/healthz', '/readyz', '/metrics']);

/** Whether the environment asks for traces to be exported (an OTLP endpoint is configured). */
export function tracingConfigured(env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.OTEL_SDK_DISABLED === 'true' || env.OTEL_TRACES_EXPORTER === 'none') return false;
  return Boolean(env.OTEL_EXPORTER_OTLP_ENDPOINT || env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT);
}

let started: NodeSDK | undefined;

/**
 * Starts OpenTelemetry for `service` when an OTLP endpoint is configured, and does nothing
 * otherwise: no SDK, no patched modules, so a service without a collector pays nothing.
 * `exporter` replaces OTLP (a test's in-memory exporter). Returns whether tracing is on.
 *
 * Spans: every HTTP request (server and client) with its Express route and handlers, each
 * MongoDB, PostgreSQL and Redis call made inside a traced request or event, and common's own
 * spans for publishing and handling events. Database calls outside any span (the relay's poll,
 * a job's timer) start no trace of their own. Metrics and logs stay with Prometheus and pino.
 */
export function startTracing(
  service: string,
  options: { env?: NodeJS.ProcessEnv; exporter?: SpanExporter } = {},
): boolean {
  const env = options.env ?? process.env;
  if (started) return true;
  if (!options.exporter && !tracingConfigured(env)) return false;
  started = new NodeSDK({
    serviceName: env.OTEL_SERVICE_NAME || service,
    traceExporter: options.exporter ?? new OTLPTraceExporter(),
    metricReaders: [],
    logRecordProcessors: [],
    instrumentations: [
      new HttpInstrumentation({
        ignoreIncomingRequestHook: (req) => UNTRACED_PATHS.has((req.url ?? '').split('?')[0] ?? ''),
      }),
      // The route's handler span. One per middleware (helmet, the session, ...) and per router
      // the request passes on its way would cost more than it tells: the server span already
      // has the route.
      new ExpressInstrumentation({
        ignoreLayersType: [ExpressLayerType.MIDDLEWARE, ExpressLayerType.ROUTER],
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
  started.start();
  return true;
}

/** Sends the spans still buffered and stops tracing (the last step of a shutdown). */
export async function stopTracing(): Promise<void> {
  const sdk = started;
  started = undefined;
  await sdk?.shutdown();
}
