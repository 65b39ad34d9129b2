import {
  context,
  isSpanContextValid,
  propagation,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  type Attributes,
  type Context,
  type Link,
  type SpanContext,
} from '@opentelemetry/api';

/** A trace's W3C context as text, to carry it where no instrumentation does (events, jobs). */
export interface TraceCarrier {
  traceparent?: string;
  tracestate?: string;
}

/** The tracer of common's own spans: publishing, handling events, jobs, live pushes. */
export const tracer = trace.getTracer('@taskforge/common');

/** The active span's context as a carrier; `{}` when nothing is traced (tracing off). */
export function traceContextOf(active: Context = context.active()): TraceCarrier {
  const carrier: Record<string, string> = {};
  propagation.inject(active, carrier);
  const out: TraceCarrier = {};
  if (carrier.traceparent) out.traceparent = carrier.traceparent;
  if (carrier.tracestate) out.tracestate = carrier.tracestate;
  return out;
}

/** The context a carrier describes, or none. */
export function contextFrom(carrier: TraceCarrier | undefined): Context {
  if (!carrier?.traceparent) return ROOT_CONTEXT;
  return propagation.extract(ROOT_CONTEXT, carrier);
}

function spanContextOf(ctx: Context): SpanContext | undefined {
  const spanContext = trace.getSpanContext(ctx);
  return spanContext && isSpanContextValid(spanContext) ? spanContext : undefined;
}

const KINDS = {
  consumer: SpanKind.CONSUMER,
  producer: SpanKind.PRODUCER,
  internal: SpanKind.INTERNAL,
} as const;

export interface CarriedSpanOptions {
  kind?: keyof typeof KINDS;
  attributes?: Attributes;
  /** Also link the span to the carried one (work that arrived by message, not by call). */
  link?: boolean;
}

/**
 * Runs `work` inside a new span, a child of the carried context (a root span when the carrier
 * is empty), so what `work` does (queries, logs, events it records) belongs to that trace. The
 * span records a throw as an error. With tracing off the span is a no-op and this costs a
 * function call.
 */
export async function withTraceFrom<T>(
  carrier: TraceCarrier | undefined,
  name: string,
  work: () => Promise<T>,
  options: CarriedSpanOptions = {},
): Promise<T> {
  const parent = contextFrom(carrier);
  const carried = options.link ? spanContextOf(parent) : undefined;
  const links: Link[] = carried ? [{ context: carried }] : [];
  const span = tracer.startSpan(
    name,
    { kind: KINDS[options.kind ?? 'internal'], links, attributes: options.attributes ?? {} },
    parent,
  );
  try {
    return await context.with(trace.setSpan(parent, span), work);
  } catch (err) {
    span.recordException(err instanceof Error ? err : String(err));
    span.setStatus({
      code: SpanStatusCode.ERROR,
      message: err instanceof Error ? err.message : '',
    });
    throw err;
  } finally {
    span.end();
  }
}

/** The ids a log line carries inside a span (pino's mixin); nothing outside one. */
export function traceIdsForLog(): { trace_id?: string; span_id?: string } {
  const spanContext = trace.getActiveSpan()?.spanContext();
  if (!spanContext || !isSpanContextValid(spanContext)) return {};
  return { trace_id: spanContext.traceId, span_id: spanContext.spanId };
}

/** Sends the spans the process still holds (a shutdown's last step); nothing with tracing off. */
export async function flushTraces(): Promise<void> {
  const provider = trace.getTracerProvider() as { getDelegate?: () => unknown };
  const delegate = provider.getDelegate?.() as { forceFlush?: () => Promise<void> } | undefined;
  await delegate?.forceFlush?.();
}
