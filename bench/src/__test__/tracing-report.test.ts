import type { LoadResult } from '../load';
import {
  compareModes,
  medianRatio,
  renderTracingMarkdown,
  type TracingResults,
  type TracingRun,
} from '../tracing-report';

function buildRun(overrides: Partial<TracingRun>): TracingRun {
  const load: LoadResult = { requests: 5000, rps: 1000, p50Ms: 9, p99Ms: 20, errors: 0, non2xx: 0 };
  return {
    ...load,
    route: 'GET /api/tasks/:id',
    service: 'tasks',
    mode: 'off',
    pass: 1,
    connections: 10,
    ...overrides,
  };
}

/** Off, on, off, on for one route, at the given req/s. */
function routeRuns(route: string, off: [number, number], on: [number, number]): TracingRun[] {
  return [1, 2].flatMap((pass) => [
    buildRun({ route, mode: 'off', pass, rps: off[pass - 1]!, p99Ms: 20 }),
    buildRun({ route, mode: 'on', pass, rps: on[pass - 1]!, p99Ms: 30 }),
  ]);
}

function buildResults(runs: TracingRun[]): TracingResults {
  return {
    date: '2026-12-07T12:00:00.000Z',
    label: '',
    durationS: 600,
    machine: {
      cpus: 2,
      cpuModel: 'test CPU',
      memoryGiB: 24,
      node: 'v24',
      mongo: 'mongod',
      loadavg: [1],
    },
    settings: { connections: [10], durationS: 5, passes: 2, rateLimitMax: 100000000 },
    runs,
    memory: {
      off: { idle: { tasks: 80 }, load: { tasks: 100 } },
      on: { idle: { tasks: 90 }, load: { tasks: 125.5 } },
    },
    spans: {
      total: 12000,
      duringLoad: 10000,
      byService: { tasks: 9000, auth: 3000 },
      rejected: 0,
      sinkBusyS: 1.5,
    },
    endpointSet: { off: { tasks: false, auth: false }, on: { tasks: true, auth: true } },
  };
}

describe('the tracing cost report', () => {
  it('compares the means of the passes and keeps the ratio of each pass', () => {
    const [row] = compareModes(routeRuns('GET /api/tasks/:id', [1000, 1200], [900, 900]));

    expect(row?.off.rps).toBe(1100);
    expect(row?.on.rps).toBe(900);
    expect(row?.ratio).toBeCloseTo(900 / 1100);
    expect(row?.passRatios).toEqual([0.9, 0.75]);
    expect(row?.off.p99Ms).toBe(20);
    expect(row?.on.p99Ms).toBe(30);
  });

  it('counts errors and non-2xx answers of every pass per mode', () => {
    const runs = routeRuns('PATCH /api/tasks/:id', [500, 500], [400, 400]);
    runs[1]!.non2xx = 3;
    runs[3]!.errors = 2;

    const [row] = compareModes(runs);

    expect(row?.off.failed).toBe(0);
    expect(row?.on.failed).toBe(5);
  });

  it('takes the median of the routes’ ratios', () => {
    const rows = compareModes([
      ...routeRuns('a', [100, 100], [50, 50]),
      ...routeRuns('b', [100, 100], [90, 90]),
      ...routeRuns('c', [100, 100], [100, 100]),
      ...routeRuns('d', [100, 100], [95, 95]),
    ]);

    expect(medianRatio(rows)).toBeCloseTo(0.925);
  });

  it('renders a row per route with off, on, their ratio and p99s, and says the machine was shared', () => {
    const markdown = renderTracingMarkdown(
      buildResults([
        ...routeRuns('GET /api/users/currentuser', [2000, 2000], [1500, 1700]),
        ...routeRuns('GET /api/tasks/:id', [1000, 1000], [800, 800]),
      ]),
    );

    expect(markdown).toContain(
      '| `GET /api/users/currentuser` | 2000 | 1600 | 0.80 | 0.75, 0.85 | 20.0 | 30.0 | 9.0 | 9.0 | 0 / 0 |',
    );
    expect(markdown).toContain('| `GET /api/tasks/:id` | 1000 | 800 | 0.80 | 0.80, 0.80 |');
    expect(markdown).toContain('Median on ÷ off over these routes: 0.80.');
    expect(markdown).toContain('| tasks | 80.0 | 90.0 | 100.0 | 125.5 | 25.5 |');
    expect(markdown).toContain('The machine was shared');
    expect(markdown).toContain('## How to read');
    expect(markdown).toContain('received 12,000 spans (auth 3,000, tasks 9,000)');
    expect(markdown).toContain(
      'took the sink 1.5 s, in the process that also runs autocannon, over the on mode',
    );
    expect(markdown).toContain("mode's 20 s of load");
    expect(markdown).toContain(
      'set in no service of the off stack and in all 2 services of the on stack',
    );
  });
});
