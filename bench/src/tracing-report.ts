import type { ServiceName } from '@taskforge/topology';
import type { LoadResult } from './load';
import { fixed, table } from './report';

export type TracingMode = 'off' | 'on';

/** One route's load on one stack in one pass. */
export interface TracingRun extends LoadResult {
  route: string;
  service: string;
  mode: TracingMode;
  pass: number;
  connections: number;
}

export interface TracingResults {
  date: string;
  label: string;
  durationS?: number;
  machine: Record<string, unknown> & { loadavgAtEnd?: number[] };
  settings: { connections: number[]; durationS: number; passes: number; rateLimitMax: number };
  runs: TracingRun[];
  /** Each stack's services: RSS (MiB) after seeding, and the peak over the passes. */
  memory: Record<
    TracingMode,
    { idle: Partial<Record<ServiceName, number>>; load: Partial<Record<ServiceName, number>> }
  >;
  /** What the sink received from the stack with tracing on (the off stack had no endpoint). */
  spans: {
    total: number;
    duringLoad: number;
    byService: Record<string, number>;
    rejected: number;
    /** Seconds the sink spent reading exports, in the load generator's process. */
    sinkBusyS?: number;
  };
  /** Whether OTEL_EXPORTER_OTLP_ENDPOINT was in each service process's environment. */
  endpointSet: Record<TracingMode, Partial<Record<ServiceName, boolean>>>;
}

/** A route at one connection count, off beside on, each the mean of its passes. */
export interface RouteComparison {
  route: string;
  connections: number;
  off: { rps: number; p50Ms: number; p99Ms: number; failed: number };
  on: { rps: number; p50Ms: number; p99Ms: number; failed: number };
  /** on req/s ÷ off req/s of the means. */
  ratio: number;
  /** The same ratio in each pass, to show how far the noise moves it. */
  passRatios: number[];
}

const mean = (values: number[]) => values.reduce((sum, v) => sum + v, 0) / values.length;

function summary(runs: TracingRun[]) {
  return {
    rps: mean(runs.map((r) => r.rps)),
    p50Ms: mean(runs.map((r) => r.p50Ms)),
    p99Ms: mean(runs.map((r) => r.p99Ms)),
    failed: runs.reduce((sum, r) => sum + r.errors + r.non2xx, 0),
  };
}

/** Pairs each route's off and on runs, in the order the routes were measured. */
export function compareModes(runs: TracingRun[]): RouteComparison[] {
  const keys = [...new Set(runs.map((r) => `${r.connections}\n${r.route}`))];
  return keys.flatMap((key) => {
    const [connections, route] = key.split('\n') as [string, string];
    const mine = runs.filter((r) => r.route === route && String(r.connections) === connections);
    const off = mine.filter((r) => r.mode === 'off');
    const on = mine.filter((r) => r.mode === 'on');
    if (off.length === 0 || on.length === 0) return [];
    const passes = [...new Set(mine.map((r) => r.pass))].sort((a, b) => a - b);
    const passRatios = passes.flatMap((pass) => {
      const a = off.find((r) => r.pass === pass);
      const b = on.find((r) => r.pass === pass);
      return a && b && a.rps > 0 ? [b.rps / a.rps] : [];
    });
    const offSummary = summary(off);
    const onSummary = summary(on);
    return [
      {
        route,
        connections: Number(connections),
        off: offSummary,
        on: onSummary,
        ratio: offSummary.rps > 0 ? onSummary.rps / offSummary.rps : NaN,
        passRatios,
      },
    ];
  });
}

/** The middle of the routes' ratios: one figure for "what tracing costs" that no route skews. */
export function medianRatio(rows: RouteComparison[]): number {
  const sorted = rows
    .map((r) => r.ratio)
    .filter(Number.isFinite)
    .sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

function endpointText(set: Partial<Record<ServiceName, boolean>>): string {
  const services = Object.keys(set) as ServiceName[];
  const withIt = services.filter((s) => set[s]);
  if (withIt.length === 0) return 'in no service';
  if (withIt.length === services.length) return `in all ${services.length} services`;
  return `in ${withIt.join(', ')} only (not ${services.filter((s) => !set[s]).join(', ')})`;
}

/** The results as markdown: a table per connection count, then memory and the spans. */
export function renderTracingMarkdown(results: TracingResults): string {
  const m = results.machine;
  const parts: string[] = [
    `# TaskForge: the cost of tracing, ${results.date.slice(0, 16).replace('T', ' ')} UTC${results.label ? ` (${results.label})` : ''}`,
    '',
    `Machine: ${String(m.cpus)} × ${String(m.cpuModel)}, ${String(m.memoryGiB)} GiB, Node ${String(m.node)}, ` +
      `MongoDB-compatible store: ${String(m.mongo)}. The machine was shared: other work (test ` +
      `runs of other workspaces) ran on the same cores during this run; load average at start ` +
      `${JSON.stringify(m.loadavg)}${m.loadavgAtEnd ? `, at end ${JSON.stringify(m.loadavgAtEnd)}` : ''}. ` +
      `Made by \`npm run bench:tracing\` in ${results.durationS ?? '?'} s.`,
    '',
    '## How to read',
    '',
    'Two copies of the local stack ran side by side, seeded the same way through the API: one ' +
      'without `OTEL_EXPORTER_OTLP_ENDPOINT` (tracing off: no SDK starts), one with it pointing at ' +
      'a sink in the bench process that answers 200 and only counts spans. Each route was loaded ' +
      `straight at its service with autocannon, ${results.settings.durationS} s at a time, on ` +
      `the two stacks in turn (off, on, off, on: ${results.settings.passes} passes each), so a ` +
      'change in the machine’s load falls on both modes. Figures are the mean of the passes. ' +
      '**on ÷ off** is the share of its untraced throughput a route keeps with tracing on ' +
      '(1.00: no cost; 0.80: a fifth fewer requests a second); the per-pass ratios show how far ' +
      'the noise alone moves it, so a difference smaller than their spread is no difference. The ' +
      'load generator and the sink share the bench process, so both modes pay for the client the ' +
      'same way, and the on mode also pays for the sink’s parsing, as it would for a collector ' +
      'on the same machine.',
  ];

  const comparisons = compareModes(results.runs);
  for (const connections of results.settings.connections) {
    const rows = comparisons.filter((c) => c.connections === connections);
    if (rows.length === 0) continue;
    parts.push(
      '',
      `## HTTP, ${connections} connections (straight to each service)`,
      '',
      table(
        [
          'route',
          'off req/s',
          'on req/s',
          'on ÷ off',
          'each pass',
          'off p99 ms',
          'on p99 ms',
          'off p50 ms',
          'on p50 ms',
          'errors + non-2xx (off / on)',
        ],
        rows.map((r) => [
          `\`${r.route}\``,
          fixed(r.off.rps, 0),
          fixed(r.on.rps, 0),
          fixed(r.ratio, 2),
          r.passRatios.map((p) => fixed(p, 2)).join(', ') || '–',
          fixed(r.off.p99Ms),
          fixed(r.on.p99Ms),
          fixed(r.off.p50Ms),
          fixed(r.on.p50Ms),
          `${r.off.failed} / ${r.on.failed}`,
        ]),
      ),
      '',
      `Median on ÷ off over these routes: ${fixed(medianRatio(rows), 2)}.`,
    );
  }

  const services = [
    ...new Set([...Object.keys(results.memory.off.idle), ...Object.keys(results.memory.on.idle)]),
  ] as ServiceName[];
  if (services.length > 0) {
    const { off, on } = results.memory;
    parts.push(
      '',
      '## Memory (RSS, MiB)',
      '',
      table(
        [
          'service',
          'off idle',
          'on idle',
          'off peak under load',
          'on peak under load',
          'on − off peak',
        ],
        services.map((s) => [
          s,
          fixed(off.idle[s] ?? NaN),
          fixed(on.idle[s] ?? NaN),
          fixed(off.load[s] ?? NaN),
          fixed(on.load[s] ?? NaN),
          fixed((on.load[s] ?? NaN) - (off.load[s] ?? NaN)),
        ]),
      ),
      '',
      'Idle is after seeding; the peak is the highest of samples every 250 ms over all passes.',
    );
  }

  const { spans } = results;
  const onRequests = results.runs
    .filter((r) => r.mode === 'on')
    .reduce((sum, r) => sum + r.requests, 0);
  const onLoadS = results.runs.filter((r) => r.mode === 'on').length * results.settings.durationS;
  const byService = Object.entries(spans.byService)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([service, n]) => `${service} ${n.toLocaleString('en')}`)
    .join(', ');
  parts.push(
    '',
    '## Spans (proof that tracing was on, and only there)',
    '',
    `The sink received ${spans.total.toLocaleString('en')} spans (${byService || 'none'}), ` +
      `${spans.duringLoad.toLocaleString('en')} of them from the start of the first pass to the ` +
      `end, for ${onRequests.toLocaleString('en')} requests measured on that stack ` +
      `(${fixed(spans.duringLoad / Math.max(onRequests, 1), 1)} a request, counting those of ` +
      'the events the writes caused in other services; an SDK whose queue is full drops spans ' +
      'rather than slow the request)' +
      `${spans.rejected > 0 ? `; ${spans.rejected} export requests could not be read` : ''}. ` +
      (spans.sinkBusyS !== undefined
        ? `Reading them took the sink ${fixed(spans.sinkBusyS)} s, in the process that also ` +
          `runs autocannon, over the on mode's ${fixed(onLoadS, 0)} s of load. `
        : '') +
      `\`OTEL_EXPORTER_OTLP_ENDPOINT\` was set ${endpointText(results.endpointSet.off)} of the ` +
      `off stack and ${endpointText(results.endpointSet.on)} of the on stack.`,
  );
  return `${parts.join('\n')}\n`;
}
