import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';

/** One span as a service exported it, flattened from OTLP's JSON. */
export interface ReceivedSpan {
  service: string;
  traceId: string;
  spanId: string;
  parentSpanId: string;
  name: string;
  /** OTLP's numbers: see `SPAN_KIND`. */
  kind: number;
  links: Array<{ traceId: string; spanId: string }>;
  attributes: Record<string, string | number | boolean>;
  /** OTLP's status code: 0 unset, 1 ok, 2 error. */
  status: number;
}

export const SPAN_KIND = { internal: 1, server: 2, client: 3, producer: 4, consumer: 5 } as const;

interface OtlpValue {
  stringValue?: string;
  intValue?: string | number;
  boolValue?: boolean;
  doubleValue?: number;
}
interface OtlpAttribute {
  key: string;
  value?: OtlpValue;
}
interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  links?: Array<{ traceId: string; spanId: string }>;
  attributes?: OtlpAttribute[];
  status?: { code?: number };
}
/** An OTLP/HTTP JSON export request: spans grouped by resource, then by scope. */
interface OtlpTraces {
  resourceSpans?: Array<{
    resource?: { attributes?: OtlpAttribute[] };
    scopeSpans?: Array<{ spans?: OtlpSpan[] }>;
  }>;
}

function valueOf(value: OtlpValue = {}): string | number | boolean {
  if (value.stringValue !== undefined) return value.stringValue;
  if (value.intValue !== undefined) return Number(value.intValue);
  if (value.boolValue !== undefined) return value.boolValue;
  return value.doubleValue ?? '';
}

function attributesOf(list: OtlpAttribute[] = []): Record<string, string | number | boolean> {
  return Object.fromEntries(list.map((a) => [a.key, valueOf(a.value)]));
}

export interface OtlpReceiver {
  /** What a service's OTEL_EXPORTER_OTLP_ENDPOINT is set to (the exporter adds /v1/traces). */
  endpoint: string;
  /** Every span received, in arrival order (empty when made with `keep: false`). */
  spans: ReceivedSpan[];
  /** How many spans arrived, in all and by service. */
  counts(): { total: number; byService: Record<string, number> };
  /** Export requests it could not read (answered 400). */
  rejected(): number;
  /** Milliseconds spent reading exports: what the receiver took from its process. */
  busyMs(): number;
  stop(): Promise<void>;
}

/**
 * A collector of a test's (or a benchmark's) own: it takes OTLP over HTTP as JSON (what common's
 * exporter sends) at `/v1/traces`, answers 200, and keeps every span in memory, or with
 * `keep: false` only counts them (a benchmark's hundreds of thousands), so a test can look at
 * what real service processes traced.
 */
export async function startOtlpReceiver(options: { keep?: boolean } = {}): Promise<OtlpReceiver> {
  const keep = options.keep ?? true;
  const spans: ReceivedSpan[] = [];
  const byService: Record<string, number> = {};
  let rejected = 0;
  let busyMs = 0;

  const take = (request: OtlpTraces) => {
    for (const resource of request.resourceSpans ?? []) {
      const service = String(attributesOf(resource.resource?.attributes)['service.name'] ?? '');
      for (const scope of resource.scopeSpans ?? []) {
        const list = scope.spans ?? [];
        byService[service] = (byService[service] ?? 0) + list.length;
        if (!keep) continue;
        for (const span of list) {
          spans.push({
            service,
            traceId: span.traceId,
            spanId: span.spanId,
            parentSpanId: span.parentSpanId ?? '',
            name: span.name,
            kind: span.kind,
            links: (span.links ?? []).map((l) => ({ traceId: l.traceId, spanId: l.spanId })),
            attributes: attributesOf(span.attributes),
            status: span.status?.code ?? 0,
          });
        }
      }
    }
  };

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      if (req.method !== 'POST' || req.url?.split('?')[0] !== '/v1/traces') {
        res.writeHead(404).end();
        return;
      }
      const raw = Buffer.concat(chunks);
      const body =
        req.headers['content-encoding'] === 'gzip' ? promisify(gunzip)(raw) : Promise.resolve(raw);
      body
        .then((bytes) => {
          const start = performance.now();
          take(JSON.parse(bytes.toString('utf8')) as OtlpTraces);
          busyMs += performance.now() - start;
          // An empty ExportTraceServiceResponse: every span accepted.
          res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
        })
        .catch(() => {
          rejected += 1;
          res.writeHead(400).end();
        });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    spans,
    counts: () => ({
      total: Object.values(byService).reduce((sum, n) => sum + n, 0),
      byService: { ...byService },
    }),
    rejected: () => rejected,
    busyMs: () => busyMs,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
