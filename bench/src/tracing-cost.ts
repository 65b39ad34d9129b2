import { readFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { startOtlpReceiver } from '@taskforge/common/testing';
import { launchStack, type LaunchedStack } from '@taskforge/stack/launch';
import { SERVICES, type ServiceName } from '@taskforge/topology';
import mongoose from 'mongoose';
import { insertGrowthTasks } from './growth';
import { hotRoutes } from './http';
import { runLoad } from './load';
import { MemorySampler, servicePids } from './memory';
import { seedThroughApi, type BenchData } from './seed';
import { loadAverage, machineInfo, tasksDatabase } from './stack-info';
import {
  renderTracingMarkdown,
  type TracingMode,
  type TracingResults,
  type TracingRun,
} from './tracing-report';

const USAGE = `Usage: npm run bench:tracing -- [options]

Starts two local stacks on free ports, one with tracing off and one exporting to a span sink in
this process, seeds both the same way, loads the hot routes on each in turn, and writes
bench/results/<date>-tracing.json and .md. About 10 minutes on 2 cores.

  --duration <s>      seconds of load per route, mode and pass (default 5)
  --connections <n,…> autocannon connections, one round of passes each (default 10)
  --routes <text,…>   only the routes whose name holds one of these (e.g. currentuser)
  --label <text>      a word saved with the results and in their names
  --no-build          run the services' last build instead of \`npm run build\`
  --out <dir>         where results go (default bench/results)
  -h, --help          this text`;

const root = resolve(__dirname, '..', '..');
const RATE_LIMIT_MAX = 100000000;
const PASSES = 2;
const MODES: TracingMode[] = ['off', 'on'];
// Either variable turns tracing on (common's traceExportOf); the off stack must have neither.
const ENDPOINT_VARIABLES = ['OTEL_EXPORTER_OTLP_ENDPOINT', 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT'];

function log(message: string): void {
  process.stdout.write(`[bench:tracing] ${message}\n`);
}

/** Whether a process was started with a trace endpoint in its environment. */
function hasEndpoint(pid: number): boolean {
  try {
    const environ = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');
    return environ.some((entry) => ENDPOINT_VARIABLES.some((name) => entry.startsWith(`${name}=`)));
  } catch {
    return false;
  }
}

interface ModeStack {
  mode: TracingMode;
  stack: LaunchedStack;
  dir: string;
  data: BenchData;
  pids: Partial<Record<ServiceName, number>>;
  sampler: MemorySampler;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      duration: { type: 'string', default: '5' },
      connections: { type: 'string', default: '10' },
      routes: { type: 'string', default: '' },
      label: { type: 'string', default: '' },
      'no-build': { type: 'boolean', default: false },
      out: { type: 'string', default: join(root, 'bench', 'results') },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const durationS = Number(values.duration);
  const connections = values.connections.split(',').map(Number);
  const routeFilter = values.routes.split(',').filter((part) => part.length > 0);
  // launchStack hands this process's environment on: an endpoint set in the shell would turn
  // tracing on in the stack meant to run without it.
  for (const name of ENDPOINT_VARIABLES) delete process.env[name];

  // It only counts: a run sends hundreds of thousands of spans.
  const sink = await startOtlpReceiver({ keep: false });
  const started = Date.now();
  const loadavgAtStart = loadAverage();
  const stacks: ModeStack[] = [];
  const dirs: string[] = [];
  let stopping: Promise<void> | undefined;
  const stopAll = () =>
    (stopping ??= (async () => {
      await mongoose.disconnect().catch(() => undefined);
      await Promise.all(stacks.map((s) => s.stack.stop()));
      await sink.stop();
      for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
    })());
  process.on('SIGINT', () => void stopAll().then(() => process.exit(130)));

  try {
    for (const mode of MODES) {
      const dir = mkdtempSync(join(tmpdir(), `taskforge-bench-tracing-${mode}-`));
      dirs.push(dir);
      log(`starting the stack with tracing ${mode} on free ports`);
      const stack = await launchStack({
        root,
        dir,
        // One build is enough for both stacks.
        build: !values['no-build'] && mode === MODES[0],
        env: {
          // The API-wide limit (600 a minute per address) would answer 429 to a load test at once.
          RATE_LIMIT_MAX: String(RATE_LIMIT_MAX),
          ...(mode === 'on' ? { OTEL_EXPORTER_OTLP_ENDPOINT: sink.endpoint } : {}),
        },
      });
      const pids = servicePids(stack.child.pid!);
      // Pushed before seeding, so that a failure from here on still stops this stack.
      const entry = { mode, stack, dir, pids, sampler: new MemorySampler(pids) } as ModeStack;
      stacks.push(entry);
      log(`tracing ${mode}: ready at ${stack.url}; seeding through the API`);
      entry.data = await seedThroughApi(stack.url, stack.natsUrl, {
        members: 2,
        tasks: 200,
        tickets: 200,
      });
      // A team of 1,000 tasks for the page figure, as npm run bench has it. The bulk insert
      // keeps one mongoose connection: this stack's, closed before the next one's.
      await insertGrowthTasks(
        tasksDatabase(stack.stores.MONGO_URL ?? ''),
        {
          teamId: entry.data.teamId,
          creatorId: entry.data.admin.id,
          assignees: [entry.data.admin.id, ...entry.data.members.map((m) => m.id)],
        },
        0,
        1_000 - entry.data.taskIds.length,
      );
      await mongoose.disconnect();
    }

    const endpointSet = Object.fromEntries(
      stacks.map((s) => [
        s.mode,
        Object.fromEntries(
          Object.entries(s.pids).map(([service, pid]) => [service, hasEndpoint(pid)]),
        ),
      ]),
    ) as TracingResults['endpointSet'];
    for (const s of stacks) {
      const expected = s.mode === 'on';
      const wrong = Object.entries(endpointSet[s.mode]).filter(([, set]) => set !== expected);
      if (wrong.length > 0 || Object.keys(s.pids).length === 0) {
        throw new Error(
          `the stack with tracing ${s.mode} has the trace endpoint ${expected ? 'missing' : 'set'} ` +
            `in ${wrong.map(([service]) => service).join(', ') || 'every service (none found)'}`,
        );
      }
    }

    const byMode = (mode: TracingMode) => stacks.find((s) => s.mode === mode)!;
    const idle = Object.fromEntries(stacks.map((s) => [s.mode, s.sampler.snapshot()])) as Record<
      TracingMode,
      Partial<Record<ServiceName, number>>
    >;
    const routes = Object.fromEntries(
      stacks.map((s) => [
        s.mode,
        hotRoutes(s.data).filter(
          (route) =>
            routeFilter.length === 0 || routeFilter.some((part) => route.route.includes(part)),
        ),
      ]),
    ) as Record<TracingMode, ReturnType<typeof hotRoutes>>;
    if (routes.off.length === 0) throw new Error(`no route's name holds ${values.routes}`);
    const serviceUrl = (s: ModeStack, name: ServiceName) =>
      `http://127.0.0.1:${s.stack.base + SERVICES.find((svc) => svc.name === name)!.localPortOffset}`;

    const spansBefore = sink.counts().total;
    for (const s of stacks) s.sampler.start();
    const runs: TracingRun[] = [];
    for (const count of connections) {
      for (let index = 0; index < routes.off.length; index += 1) {
        // Off, on, off, on, route by route: each pair meets nearly the same machine.
        for (let pass = 1; pass <= PASSES; pass += 1) {
          for (const mode of MODES) {
            const route = routes[mode][index]!;
            const s = byMode(mode);
            log(`${count} connections: ${route.route}, tracing ${mode}, pass ${pass}`);
            const result = await runLoad({
              url: `${serviceUrl(s, route.service)}${route.path}`,
              connections: count,
              durationS,
              ...route.options,
            });
            runs.push({
              route: route.route,
              service: route.service,
              mode,
              pass,
              connections: count,
              ...result,
            });
          }
        }
      }
    }
    const load = Object.fromEntries(stacks.map((s) => [s.mode, s.sampler.stop()])) as Record<
      TracingMode,
      Partial<Record<ServiceName, number>>
    >;
    // The SDK sends what it holds every 5 s, or sooner when a batch is full.
    await new Promise((done) => setTimeout(done, 6_000));
    const spans = sink.counts();
    if (spans.total === 0 || spans.total === spansBefore) {
      throw new Error(
        `tracing was meant to be on, but the sink at ${sink.endpoint} received ` +
          `${spans.total === 0 ? 'no span at all' : 'no span while the routes were measured'}: ` +
          'the figures would compare two untraced stacks. Does OTEL_EXPORTER_OTLP_ENDPOINT ' +
          "reach the services' processes?",
      );
    }

    const results: TracingResults = {
      date: new Date(started).toISOString(),
      label: values.label,
      durationS: Math.round((Date.now() - started) / 1000),
      machine: {
        ...machineInfo(byMode('off').dir),
        loadavg: loadavgAtStart,
        loadavgAtEnd: loadAverage(),
      },
      settings: { connections, durationS, passes: PASSES, rateLimitMax: RATE_LIMIT_MAX },
      runs,
      memory: {
        off: { idle: idle.off, load: load.off },
        on: { idle: idle.on, load: load.on },
      },
      spans: {
        total: spans.total,
        duringLoad: spans.total - spansBefore,
        byService: spans.byService,
        rejected: sink.rejected(),
        sinkBusyS: Math.round(sink.busyMs()) / 1000,
      },
      endpointSet,
    };
    mkdirSync(values.out, { recursive: true });
    const name = `${results.date.slice(0, 10)}-tracing${values.label ? `-${values.label}` : ''}`;
    writeFileSync(join(values.out, `${name}.json`), `${JSON.stringify(results, null, 2)}\n`);
    const markdown = renderTracingMarkdown(results);
    writeFileSync(join(values.out, `${name}.md`), markdown);
    process.stdout.write(`\n${markdown}\n`);
    log(`wrote ${join(values.out, `${name}.json`)} and .md in ${results.durationS} s`);
  } finally {
    await stopAll();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(
    `[bench:tracing] ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
  );
  process.exit(1);
});
