import autocannon from 'autocannon';

export interface LoadResult {
  requests: number;
  rps: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
  non2xx: number;
  /** How many answers of each status other than 2xx, when there were any (what went wrong). */
  non2xxStatuses?: Record<string, number>;
}

export interface LoadOptions {
  url: string;
  method?: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  headers?: Record<string, string>;
  /** A fresh body per request (writes must change something each time). */
  body?: () => unknown;
  /** A fresh path per request. */
  path?: () => string;
  connections: number;
  durationS: number;
}

/** Fixed connections for a fixed time with autocannon; latency percentiles in milliseconds. */
export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const headers = {
    ...options.headers,
    ...(options.body ? { 'content-type': 'application/json' } : {}),
  };
  const result = await autocannon({
    url: options.url,
    method: options.method ?? 'GET',
    headers,
    connections: options.connections,
    duration: options.durationS,
    requests:
      options.body || options.path
        ? [
            {
              setupRequest: (request) => ({
                ...request,
                ...(options.path ? { path: options.path() } : {}),
                ...(options.body ? { body: JSON.stringify(options.body()) } : {}),
              }),
            },
          ]
        : undefined,
  });
  const non2xxStatuses = Object.fromEntries(
    Object.entries(result.statusCodeStats ?? {})
      .filter(([status]) => !status.startsWith('2'))
      .map(([status, stats]) => [status, stats?.count ?? 0]),
  );
  return {
    ...(Object.keys(non2xxStatuses).length > 0 ? { non2xxStatuses } : {}),
    requests: result.requests.total,
    rps: round(result.requests.average),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
  };
}

/** One client, one request at a time: latency as a single user sees it (growth figures). */
export async function sequentialLatency(
  send: (signal: AbortSignal) => Promise<Response>,
  options: {
    maxRequests: number;
    maxMs: number;
    timeoutMs: number;
    /** Runs before each request, untimed (e.g. a write that makes the next read cold). */
    prepare?: () => Promise<void>;
  },
): Promise<{ samples: number; p50Ms: number; p99Ms: number; errors: number; timedOut: number }> {
  const latencies: number[] = [];
  let errors = 0;
  let timedOut = 0;
  const deadline = Date.now() + options.maxMs;
  // At least one request, however slow; more while the time allows. No warm-up: on a slow
  // store the first request is the one a user meets.
  while (
    latencies.length + timedOut === 0 ||
    (latencies.length + timedOut < options.maxRequests && Date.now() < deadline)
  ) {
    await options.prepare?.();
    const start = performance.now();
    try {
      const res = await send(AbortSignal.timeout(options.timeoutMs));
      await res.arrayBuffer();
      latencies.push(performance.now() - start);
      if (!res.ok) errors += 1;
    } catch (err) {
      if ((err as Error).name !== 'TimeoutError') throw err;
      timedOut += 1;
    }
  }
  return {
    samples: latencies.length,
    p50Ms: round(percentile(latencies, 50)),
    p99Ms: round(percentile(latencies, 99)),
    errors,
    timedOut,
  };
}

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, index)]!;
}

export function round(value: number, digits = 2): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}
