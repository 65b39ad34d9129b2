import type { ServiceName } from '@taskforge/topology';
import { renderProfiles, type ProcessProfile } from './cpu-profile';
import type { EventsResult } from './events';
import type { GrowthRow } from './growth';
import type { CeilingResult, LoadCeiling, RouteKind } from './http';
import type { LoadResult } from './load';

export interface BenchResults {
  date: string;
  label: string;
  durationS?: number;
  /** Phases that failed, with the reason: their figures are missing. */
  failures?: string[];
  machine: Record<string, unknown>;
  /** One HTTP pass per connection count (a single number in results before 2026-12-04). */
  settings: {
    connections: number | number[];
    durationS: number;
    rateLimitMax: number;
    /** Which gateway the local stack ran (absent in results from before nginx). */
    gateway?: 'nginx' | 'node';
  };
  /**
   * The baseline at the start and at the end of each pass: bare Express (raw node:http in
   * results before 2026-12-04, which name no connections).
   */
  baseline: Array<LoadResult & { connections?: number }>;
  http: Array<
    LoadResult & {
      route: string;
      kind?: RouteKind;
      ceiling?: LoadCeiling;
      connections?: number;
      via?: 'direct' | 'gateway';
    }
  >;
  /** Bare Express doing the one store or Redis call a kind of route needs (from 2026-12-06). */
  ceilings?: CeilingResult[];
  profiles?: ProcessProfile[];
  events?: EventsResult;
  growth?: GrowthRow[];
  memory: {
    idle: Partial<Record<ServiceName, number>>;
    load: Partial<Record<ServiceName, number>>;
    afterGrowth?: Partial<Record<ServiceName, number>>;
    /** Bare Express and each ceiling's process: idle, and peak over the HTTP passes. */
    baselines?: { idle: Partial<Record<string, number>>; load: Partial<Record<string, number>> };
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

const CEILING_TEXT: Record<LoadCeiling, string> = {
  redis: 'one Redis round trip (the cross-pod rate limit)',
  'store-by-id': 'the store: `findOne` by `_id`',
  'store-page': 'the store: the tickets list query (20 of them)',
  'store-write': 'the store: `insertOne` of a ticket with its event',
};

export const fixed = (value: number, digits = 1) =>
  Number.isFinite(value) ? value.toFixed(digits) : '–';

export function table(header: string[], rows: Array<Array<string | number>>): string {
  return [
    `| ${header.join(' | ')} |`,
    `| ${header.map(() => '---').join(' | ')} |`,
    ...rows.map((row) => `| ${row.join(' | ')} |`),
  ].join('\n');
}

function baselines(results: BenchResults, connections: number) {
  return results.baseline.filter((b) => (b.connections ?? 0) === connections);
}

/** The mean of a pass's two baseline figures (req/s). */
export function bareMean(results: BenchResults, connections: number): number {
  const figures = baselines(results, connections);
  return figures.reduce((sum, b) => sum + b.rps, 0) / figures.length;
}

const MIB_TO_MB = 1.048576;

interface TargetRow {
  target: string;
  measured: string;
  met: boolean;
}

const SHARE_TARGETS: Array<[RouteKind, number, string]> = [
  ['no-store', 0.7, '`currentuser`'],
  ['read-by-id', 0.35, 'reads by id'],
  ['page', 0.15, 'pages of 20'],
  ['write', 0.1, 'writes with their outbox event'],
];

/** Each target of the performance issue beside what this run measured. */
export function targetRows(results: BenchResults): TargetRow[] {
  const rows: TargetRow[] = [];
  const levels = [...new Set(results.http.map((r) => r.connections ?? 0))].filter((c) => c > 0);
  for (const connections of levels) {
    const base = bareMean(results, connections);
    const direct = results.http.filter((r) => r.connections === connections && r.via === 'direct');
    for (const [kind, share, name] of SHARE_TARGETS) {
      for (const r of direct.filter((d) => d.kind === kind)) {
        const ceiling = results.ceilings?.find(
          (c) => c.connections === connections && c.ceiling === r.ceiling,
        );
        const bound = ceiling
          ? ` (ceiling ${ceiling.ceiling}: ${fixed(ceiling.rps / base, 2)} ×)`
          : '';
        rows.push({
          target: `${name} ≥ ${share} × bare Express, ${connections} connections: \`${r.route}\``,
          measured: `${fixed(r.rps / base, 2)} ×${bound}`,
          met: r.rps / base >= share && r.errors + r.non2xx === 0,
        });
      }
    }
    for (const r of direct) {
      const gw = results.http.find(
        (g) => g.connections === connections && g.via === 'gateway' && g.route === r.route,
      );
      if (!gw) continue;
      const cost = 1 - gw.rps / r.rps;
      rows.push({
        target: `the gateway adds ≤ 15 %, ${connections} connections: \`${r.route}\``,
        measured: `${fixed(cost * 100, 0)} % fewer req/s, p50 ${r.p50Ms} → ${gw.p50Ms} ms`,
        met: cost <= 0.15 && gw.errors + gw.non2xx === 0,
      });
    }
  }
  const most = Math.max(0, ...levels);
  if (most >= 100) {
    for (const r of results.http.filter((h) => h.connections === most && h.via === 'direct')) {
      rows.push({
        target: `p99 ≤ 10 × p50 at ${most} connections: \`${r.route}\``,
        measured: `${r.p99Ms} / ${r.p50Ms} ms`,
        met: r.p99Ms <= 10 * Math.max(r.p50Ms, 1),
      });
    }
  }
  const e = results.events;
  if (e) {
    rows.push(
      {
        target: `assignment → SSE p50 ≤ 30 ms at ${e.endToEnd.ratePerS}/s`,
        measured: `${e.endToEnd.p50Ms} ms`,
        met: e.endToEnd.ratePerS >= 20 && e.endToEnd.p50Ms <= 30 && e.endToEnd.lost === 0,
      },
      {
        target: `assignment → SSE p99 ≤ 100 ms at ${e.endToEnd.ratePerS}/s`,
        measured: `${e.endToEnd.p99Ms} ms`,
        met: e.endToEnd.ratePerS >= 20 && e.endToEnd.p99Ms <= 100 && e.endToEnd.lost === 0,
      },
      {
        target: 'tasks → notifications ≥ 25 % of raw JetStream',
        measured: `${fixed((e.throughput.eventsPerS / e.rawThroughput.eventsPerS) * 100)} %`,
        met: e.throughput.eventsPerS >= 0.25 * e.rawThroughput.eventsPerS,
      },
    );
  }
  for (const [service, rss] of Object.entries(results.memory.idle)) {
    rows.push({
      target: `${service} idle RSS ≤ 120 MB`,
      measured: `${fixed(rss * MIB_TO_MB)} MB`,
      met: rss * MIB_TO_MB <= 120,
    });
  }
  for (const [service, rss] of Object.entries(results.memory.load)) {
    rows.push({
      target: `${service} RSS under load ≤ 250 MB`,
      measured: `${fixed(rss * MIB_TO_MB)} MB`,
      met: rss * MIB_TO_MB <= 250,
    });
  }
  return rows;
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
    const levels = [...new Set(results.http.map((r) => r.connections ?? 0))];
    for (const connections of levels) {
      const base = bareMean(results, connections);
      const rows = results.http.filter((r) => (r.connections ?? 0) === connections);
      const direct = rows.filter((r) => r.via !== 'gateway');
      const through = (route: string) => rows.find((r) => r.via === 'gateway' && r.route === route);
      parts.push(
        '',
        `## HTTP, ${connections} connections (autocannon, ${results.settings.durationS} s per route)`,
        '',
        `Baseline: bare Express 5 answering a small JSON body, ` +
          `${baselines(results, connections)
            .map((b) => fixed(b.rps, 0))
            .join(
              ' and ',
            )} req/s (start and end of the pass; ratios use their mean, ${fixed(base, 0)}). ` +
          'Each route straight to its service, then through the local stack’s gateway' +
          (results.settings.gateway === 'nginx'
            ? ' (nginx, as ingress-nginx in the cluster).'
            : results.settings.gateway === 'node'
              ? ' (the Node.js one: nginx was not installed).'
              : '.'),
        '',
        table(
          [
            'route',
            'req/s',
            'p50 ms',
            'p99 ms',
            '× bare Express',
            'gateway req/s',
            'gateway p50 / p99 ms',
            'gateway costs',
            'errors + non-2xx',
          ],
          direct.map((r) => {
            const gw = through(r.route);
            return [
              `\`${r.route}\``,
              fixed(r.rps, 0),
              r.p50Ms,
              r.p99Ms,
              fixed(r.rps / base, 2),
              gw ? fixed(gw.rps, 0) : '–',
              gw ? `${gw.p50Ms} / ${gw.p99Ms}` : '–',
              gw ? `${fixed((1 - gw.rps / r.rps) * 100, 0)} %` : '–',
              r.errors + r.non2xx + (gw ? gw.errors + gw.non2xx : 0),
            ];
          }),
        ),
      );
      const ceilings = (results.ceilings ?? []).filter((c) => c.connections === connections);
      if (ceilings.length > 0) {
        parts.push(
          '',
          'Ceilings: bare Express doing first the one call a route cannot do without, ' +
            'with the driver alone and nothing of the suite (`bench/src/bare-express.ts`). A route ' +
            'that makes its ceiling’s call cannot pass it on this machine; the last column is how ' +
            'close each came.',
          '',
          table(
            [
              'ceiling',
              'req/s',
              'p50 ms',
              'p99 ms',
              '× bare Express',
              'routes it bounds: req/s ÷ ceiling',
            ],
            ceilings.map((c) => [
              CEILING_TEXT[c.ceiling],
              fixed(c.rps, 0),
              c.p50Ms,
              c.p99Ms,
              fixed(c.rps / base, 2),
              direct
                .filter((r) => r.ceiling === c.ceiling)
                .map((r) => `\`${r.route}\` ${fixed(r.rps / c.rps, 2)}`)
                .join(', ') || '–',
            ]),
          ),
        );
      }
    }
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
        `${e.endToEnd.lost} lost, ${e.endToEnd.failedWrites ?? 0} writes failed` +
        (e.endToEnd.backlogSeconds !== undefined
          ? `, measured once tasks' relay and notifications had worked through what the phases before left (` +
            (e.endToEnd.backlogOutbox !== undefined
              ? `${e.endToEnd.backlogOutbox} tasks with unpublished events, `
              : '') +
            `${e.endToEnd.backlogSeconds} s)`
          : '') +
        `. Sustained: HTTP writes ran at ` +
        `${fixed(e.throughput.httpWritesPerS, 0)}/s (${e.throughput.failedWrites} failed); ` +
        (e.throughput.caughtUp
          ? `events/s counts until notifications' durable consumer had acked the last one.`
          : `notifications had acked only ${e.throughput.events} of them after ${e.throughput.seconds} s; events/s counts those.`) +
        (e.throughput.drainPerS !== undefined
          ? ` Once the last write had answered, notifications acked the rest at ${fixed(e.throughput.drainPerS, 0)}/s.`
          : ''),
    );
    const stages = e.endToEnd.stages;
    if (stages) {
      parts.push(
        '',
        `Where an assignment's time goes at ${e.endToEnd.ratePerS}/s (ms from the PATCH leaving):`,
        '',
        table(
          ['stage reached', 'p50', 'p99'],
          [
            [
              'PATCH answered (store write, outbox event recorded)',
              stages.answered.p50Ms,
              stages.answered.p99Ms,
            ],
            [
              '`task.updated` on the bus (relay published it)',
              stages.published.p50Ms,
              stages.published.p99Ms,
            ],
            ['notification on the SSE stream', e.endToEnd.p50Ms, e.endToEnd.p99Ms],
          ],
        ),
      );
    }
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

  const targets = targetRows(results);
  if (targets.length > 0) {
    parts.push(
      '',
      '## Targets (issue 20)',
      '',
      table(
        ['target', 'measured', 'met'],
        targets.map((t) => [t.target, t.measured, t.met ? 'yes' : '**no**']),
      ),
    );
  }

  if (results.profiles && results.profiles.length > 0) {
    parts.push('', renderProfiles(results.profiles));
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
    const others = results.memory.baselines;
    if (others) {
      parts.push(
        '',
        'The same for the baselines’ processes (Node.js and Express; each ceiling also holds its ' +
          'driver and its connections), idle and at their peak over the HTTP passes:',
        '',
        table(
          ['process', 'idle', 'peak under load'],
          Object.keys(others.idle).map((name) => [
            name,
            fixed(others.idle[name] ?? NaN),
            fixed(others.load[name] ?? NaN),
          ]),
        ),
      );
    }
  }
  return `${parts.join('\n')}\n`;
}
