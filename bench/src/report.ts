import type { EventsResult } from './events';
import type { GrowthRow } from './growth';
import type { LoadResult } from './load';
import type { ServiceName } from './memory';

export interface BenchResults {
  date: string;
  label: string;
  durationS?: number;
  /** Phases that failed, with the reason: their figures are missing. */
  failures?: string[];
  machine: Record<string, unknown>;
  settings: { connections: number; durationS: number; rateLimitMax: number };
  /** The raw node:http endpoint, at the start and at the end of the HTTP phase. */
  baseline: LoadResult[];
  http: Array<LoadResult & { route: string }>;
  events?: EventsResult;
  growth?: GrowthRow[];
  memory: {
    idle: Partial<Record<ServiceName, number>>;
    load: Partial<Record<ServiceName, number>>;
    afterGrowth?: Partial<Record<ServiceName, number>>;
  };
}

function growthCell(figure: {
  p50Ms: number;
  p99Ms: number;
  samples?: number;
  timedOut?: number;
}): string {
  if (!figure.samples) return figure.timedOut ? `> 60 s (${figure.timedOut} timed out)` : '–';
  const timedOut = figure.timedOut ? `, ${figure.timedOut} timed out` : '';
  return `${figure.p50Ms} / ${figure.p99Ms} (${figure.samples}${timedOut})`;
}

const GROWTH_COLUMNS = [
  'list',
  'filter',
  'search',
  'searchNone',
  'statsCold',
  'stats',
  'statsCached',
  'update',
] as const;

/** The largest set's p50 over the smallest's, per column: the growth bound is at most 3×. */
function growthRatioRow(rows: GrowthRow[]): string[][] {
  const first = rows[0];
  const last = rows.at(-1);
  if (!first || !last || first === last) return [];
  return [
    [
      `p50 ${last.tasks.toLocaleString('en')} ÷ ${first.tasks.toLocaleString('en')}`,
      ...GROWTH_COLUMNS.map((column) => {
        const small = first[column];
        const large = last[column];
        if (!small?.samples || !large?.samples || small.p50Ms <= 0) return '–';
        return `${(large.p50Ms / small.p50Ms).toFixed(2)}×`;
      }),
    ],
  ];
}

const fixed = (value: number, digits = 1) => (Number.isFinite(value) ? value.toFixed(digits) : '–');

function table(header: string[], rows: Array<Array<string | number>>): string {
  return [
    `| ${header.join(' | ')} |`,
    `| ${header.map(() => '---').join(' | ')} |`,
    ...rows.map((row) => `| ${row.join(' | ')} |`),
  ].join('\n');
}

/** The results as the markdown table the README links. */
export function renderMarkdown(results: BenchResults): string {
  const parts: string[] = [];
  const m = results.machine;
  parts.push(
    `# TaskForge benchmarks, ${results.date.slice(0, 16).replace('T', ' ')} UTC${results.label ? ` (${results.label})` : ''}`,
    '',
    `Machine: ${String(m.cpus)} × ${String(m.cpuModel)}, ${String(m.memoryGiB)} GiB, Node ${String(m.node)}, ` +
      `MongoDB-compatible store: ${String(m.mongo)}; load average at start ${JSON.stringify(m.loadavg)}. ` +
      `Shared and noisy: compare each figure with the baseline measured in the same run, not with ` +
      `other runs. Made by \`npm run bench\` in ${results.durationS ?? '?'} s.`,
  );

  if (results.http.length > 0) {
    const base = results.baseline.reduce((sum, b) => sum + b.rps, 0) / results.baseline.length;
    parts.push(
      '',
      `## HTTP (autocannon, ${results.settings.connections} connections, ${results.settings.durationS} s per route, straight to each service)`,
      '',
      `Baseline: raw \`node:http\` JSON endpoint, ${results.baseline.map((b) => fixed(b.rps, 0)).join(' and ')} req/s ` +
        `(start and end of the phase; ratios use their mean, ${fixed(base, 0)}).`,
      '',
      table(
        ['route', 'req/s', 'p50 ms', 'p99 ms', 'errors', 'non-2xx', 'vs raw node:http'],
        results.http.map((r) => [
          `\`${r.route}\``,
          fixed(r.rps, 0),
          r.p50Ms,
          r.p99Ms,
          r.errors,
          r.non2xx,
          `${fixed((r.rps / base) * 100)} %`,
        ]),
      ),
    );
  }

  const e = results.events;
  if (e) {
    parts.push(
      '',
      '## Events (tasks → JetStream → notifications → SSE)',
      '',
      table(
        ['measure', 'TaskForge', 'raw JetStream publish → consume', 'ratio'],
        [
          [
            `latency p50, ${e.endToEnd.ratePerS}/s steady (ms)`,
            e.endToEnd.p50Ms,
            e.rawLatency.p50Ms,
            `${fixed(e.endToEnd.p50Ms / e.rawLatency.p50Ms)}×`,
          ],
          [
            `latency p99, ${e.endToEnd.ratePerS}/s steady (ms)`,
            e.endToEnd.p99Ms,
            e.rawLatency.p99Ms,
            `${fixed(e.endToEnd.p99Ms / e.rawLatency.p99Ms)}×`,
          ],
          [
            `sustained events/s (burst of ${e.throughput.events}, 16 writers)`,
            fixed(e.throughput.eventsPerS, 0),
            fixed(e.rawThroughput.eventsPerS, 0),
            `${fixed((e.throughput.eventsPerS / e.rawThroughput.eventsPerS) * 100)} %`,
          ],
        ],
      ),
      '',
      `End to end: from the \`PATCH /api/tasks/:id\` that assigns a task leaving the client to the ` +
        `\`notification\` arriving on the assignee's SSE stream; ${e.endToEnd.samples} samples, ` +
        `${e.endToEnd.lost} lost, ${e.endToEnd.failedWrites ?? 0} writes failed. Sustained: HTTP writes ran at ` +
        `${fixed(e.throughput.httpWritesPerS, 0)}/s (${e.throughput.failedWrites} failed); ` +
        (e.throughput.caughtUp
          ? `events/s counts until notifications' durable consumer had acked the last one.`
          : `notifications had acked only ${e.throughput.events} of them after ${e.throughput.seconds} s; events/s counts those.`),
    );
  }

  if (results.growth && results.growth.length > 0) {
    parts.push(
      '',
      '## Growth (one team; one client, p50 / p99 ms, samples)',
      '',
      table(
        [
          'tasks in the team',
          'list',
          'filter (status+priority, by due date)',
          'search (11 % match)',
          'search (no match)',
          'stats (cold)',
          'stats (after a write)',
          'stats (cached)',
          'update (PATCH)',
        ],
        [
          ...results.growth.map((g) => [
            g.tasks.toLocaleString('en'),
            ...GROWTH_COLUMNS.map((column) => {
              const figure = g[column];
              return figure ? growthCell(figure) : '–';
            }),
          ]),
          ...growthRatioRow(results.growth),
        ],
      ),
      '',
      "The growth set is inserted in bulk into tasks' database, built by tasks' own model " +
        '(`bench/src/growth.ts`); one task made through the API is the one updated. Requests ' +
        'go one at a time for up to 15 s (at least one, no warm-up); one that has not answered ' +
        "after 60 s is counted as timed out. Stats are kept as 64 parts (a task's id picks its " +
        'part): cold computes every part, after a write only the part of the task written; a ' +
        'newest-first list page reads the last days first, widening until it fills; a search ' +
        'reads the tasks holding its words through the text index; other sorts (the filter, ' +
        'by due date) read every match and sort them (the store reads no index in order; see ' +
        'docs/architecture.md).',
    );
  }

  if (results.failures && results.failures.length > 0) {
    parts.push('', '## Phases that failed', '', ...results.failures.map((f) => `- ${f}`));
  }

  const services = Object.keys(results.memory.idle) as ServiceName[];
  if (services.length > 0) {
    parts.push(
      '',
      '## Memory (RSS, MiB)',
      '',
      table(
        ['service', 'idle (after seeding)', 'peak under load', 'after the growth set'],
        services.map((s) => [
          s,
          fixed(results.memory.idle[s] ?? NaN),
          fixed(results.memory.load[s] ?? NaN),
          fixed(results.memory.afterGrowth?.[s] ?? NaN),
        ]),
      ),
    );
  }
  return `${parts.join('\n')}\n`;
}
