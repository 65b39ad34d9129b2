/*
 * Turns tracing on for a service process. Imported by each service's `src/tracing.ts`, the
 * first import of its entry point, so the instrumentations are in place before express, http,
 * mongoose, pg or ioredis are loaded: a module loaded before them is never patched.
 *
 * This file imports nothing at all until tracing is asked for, and never the rest of common,
 * which would load those libraries first.
 */
import type { NodeSDK } from '@opentelemetry/sdk-node';
import type { SpanExporter } from '@opentelemetry/sdk-trace';

/** Where traces go: OTLP over HTTP (a collector, Jaeger), or Zipkin's own API. */
export type TraceExport = 'otlp' | 'zipkin';

/**
 * Where the environment asks traces to go, or nothing: an OTLP endpoint
 * (`OTEL_EXPORTER_OTLP_ENDPOINT` or `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`), or
 * `OTEL_TRACES_EXPORTER=zipkin` with `OTEL_EXPORTER_ZIPKIN_ENDPOINT`.
 */
export function traceExportOf(env: NodeJS.ProcessEnv = process.env): TraceExport | undefined {
  if (env.OTEL_SDK_DISABLED === 'true' || env.OTEL_TRACES_EXPORTER === 'none') return undefined;
  if (env.OTEL_TRACES_EXPORTER === 'zipkin') {
    return env.OTEL_EXPORTER_ZIPKIN_ENDPOINT ? 'zipkin' : undefined;
  }
  if (env.OTEL_EXPORTER_OTLP_ENDPOINT || env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) return 'otlp';
  return undefined;
}

let started: NodeSDK | undefined;

/**
 * Starts OpenTelemetry for `service` when an endpoint is configured (see sdk.ts for what it
 * traces), and does nothing otherwise: the SDK is not even loaded, no module is patched, so a
 * service without a collector pays nothing. `exporter` replaces OTLP (a test's in-memory
 * exporter). Returns whether tracing is on.
 */
export function startTracing(
  service: string,
  options: { env?: NodeJS.ProcessEnv; exporter?: SpanExporter } = {},
): boolean {
  const env = options.env ?? process.env;
  if (started) return true;
  const to = traceExportOf(env);
  if (!options.exporter && !to) return false;
  // Loaded here, synchronously, because the service's next imports must find it in place.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { createSdk } = require('./sdk') as typeof import('./sdk');
  started = createSdk(env.OTEL_SERVICE_NAME || service, options.exporter ?? to ?? 'otlp');
  started.start();
  return true;
}

/** Sends the spans still buffered and stops tracing (the last step of a shutdown). */
export async function stopTracing(): Promise<void> {
  const sdk = started;
  started = undefined;
  await sdk?.shutdown();
}
