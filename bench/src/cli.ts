import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { createLogger } from '@taskforge/common';
import { launchStack } from '@taskforge/stack/launch';
import { REDIS_PREFIX as TASKS_REDIS_PREFIX, StatsCache } from '@taskforge/tasks/bench';
import { SERVICES, type ServiceName } from '@taskforge/topology';
import { Redis } from 'ioredis';
import mongoose from 'mongoose';
import { measureEvents, type EventsResult } from './events';
import { outboxDepth } from './outbox';
import { GROWTH_SIZES, insertGrowthTasks, measureGrowthRoutes, type GrowthRow } from './growth';
import { hotRoutes, LOAD_CEILINGS, measureHttp, startBareExpress, type LoadCeiling } from './http';
import { gatewayProcess, MemorySampler, rssMiB, servicePids } from './memory';
import { renderMarkdown, type BenchResults } from './report';
import { seedThroughApi, signUp } from './seed';
import { machineInfo, tasksDatabase, ticketsDatabase } from './stack-info';

const USAGE = `Usage: npm run bench -- [options]

Starts the local stack on free ports, seeds it through the API, measures, and writes
bench/results/<date>.json, <date>.md and latest.md. Takes about 20 minutes on 2 cores.

  --duration <s>   seconds of load per HTTP route (default 10)
  --connections <n,…> autocannon connections, one HTTP pass each (default 10,100)
  --only <phases>  comma-separated: http,events,growth (default all)
  --max-growth <n> largest growth set (default 100000)
  --routes <text,…> only the HTTP routes whose name holds one of these (e.g. currentuser)
  --node-options <flags> NODE_OPTIONS for every service (e.g. --max-semi-space-size=16)
  --label <text>   a word saved with the results (e.g. "before")
  --profile        the services and the gateway run with an inspector on loopback; the first
                   HTTP pass profiles each route's process, and the results get the ten
                   heaviest functions of each
  --no-build       run the services' last build instead of \`npm run build\`
  --out <dir>      where results go (default bench/results)
  -h, --help       this text`;

const root = resolve(__dirname, '..', '..');

function log(message: string): void {
  process.stdout.write(`[bench] ${message}\n`);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      duration: { type: 'string', default: '10' },
      connections: { type: 'string', default: '10,100' },
      profile: { type: 'boolean', default: false },
      only: { type: 'string', default: 'http,events,growth' },
      'max-growth': { type: 'string', default: String(GROWTH_SIZES[GROWTH_SIZES.length - 1]) },
      label: { type: 'string', default: '' },
      routes: { type: 'string', default: '' },
      'node-options': { type: 'string', default: '' },
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
  const phases = new Set(values.only.split(','));
  const maxGrowth = Number(values['max-growth']);
  const routeFilter = values.routes.split(',').filter((part) => part.length > 0);

  const dir = mkdtempSync(join(tmpdir(), 'taskforge-bench-'));
  log('starting the local stack (npm run stack) on free ports');
  const started = Date.now();
  // The API-wide limit (600 a minute per address) would answer 429 to a load test at once.
  const stack = await launchStack({
    root,
    dir,
    build: !values['no-build'],
    env: {
      RATE_LIMIT_MAX: '100000000',
      NODE_OPTIONS: [values['node-options'], values.profile ? '--inspect=127.0.0.1:0' : '']
        .filter((flags) => flags.length > 0)
        .join(' '),
    },
  });
  const bare = await startBareExpress();
  const ceilings: Array<Awaited<ReturnType<typeof startBareExpress>> & { ceiling: LoadCeiling }> =
    [];
  let stopping: Promise<void> | undefined;
  const stopAll = () =>
    (stopping ??= (async () => {
      bare.stop();
      for (const c of ceilings) c.stop();
      await mongoose.disconnect().catch(() => undefined);
      await stack.stop();
      rmSync(dir, { recursive: true, force: true });
    })());
  // Ctrl-C may arrive twice (the terminal and tsx both pass it on): stop once, cleanly.
  process.on('SIGINT', () => void stopAll().then(() => process.exit(130)));

  try {
    const serviceUrl = (name: ServiceName) =>
      `http://127.0.0.1:${stack.base + SERVICES.find((s) => s.name === name)!.localPortOffset}`;
    const pids = servicePids(stack.child.pid!);
    const sampler = new MemorySampler(pids);
    const gateway = gatewayProcess(stack.child.pid!);
    log(`ready at ${stack.url}; seeding through the API`);
    const data = await seedThroughApi(stack.url, stack.natsUrl, {
      members: 2,
      tasks: 200,
      tickets: 200,
    });
    const idle = sampler.snapshot();

    const results: BenchResults = {
      date: new Date().toISOString(),
      label: values.label,
      machine: machineInfo(dir),
      settings: { connections, durationS, rateLimitMax: 100000000, gateway: gateway.kind },
      http: [],
      baseline: [],
      memory: { idle, load: {} },
    };

    sampler.start();
    if (phases.has('http')) {
      // A team of 1,000 tasks for the page figure: the seeded ones and the rest in bulk.
      await insertGrowthTasks(
        tasksDatabase(stack.stores.MONGO_URL ?? ''),
        {
          teamId: data.teamId,
          creatorId: data.admin.id,
          assignees: [data.admin.id, ...data.members.map((m) => m.id)],
        },
        0,
        1_000 - data.taskIds.length,
      );
      // The ceilings: bare Express doing the one store or Redis call each kind of route needs.
      for (const ceiling of LOAD_CEILINGS) {
        const server = await startBareExpress(ceiling, {
          MONGO_URL: ticketsDatabase(stack.stores.MONGO_URL ?? ''),
          REDIS_URL: stack.stores.REDIS_URL ?? '',
          BENCH_TICKET_ID: data.ticketIds[0]!,
        });
        ceilings.push({ ...server, ceiling });
      }
      // Memory only: the libraries every service loads, and nothing else.
      const libraries = await startBareExpress('libraries');
      await new Promise((resolve) => setTimeout(resolve, 2000));
      const librariesRss = rssMiB(libraries.pid);
      libraries.stop();
      const baselinePids = {
        'bare Express': bare.pid,
        ...Object.fromEntries(ceilings.map((c) => [`ceiling ${c.ceiling}`, c.pid])),
      };
      const baselineSampler = new MemorySampler<string>(baselinePids);
      const baselineIdle = {
        ...baselineSampler.snapshot(),
        ...(librariesRss === undefined ? {} : { 'the libraries alone': librariesRss }),
      };
      baselineSampler.start();
      const measured = await measureHttp({
        routes: hotRoutes(data).filter(
          (route) =>
            routeFilter.length === 0 || routeFilter.some((part) => route.route.includes(part)),
        ),
        serviceUrl,
        gatewayUrl: stack.url,
        bareUrl: bare.url,
        ceilings: ceilings.map((c) => ({ ceiling: c.ceiling, url: c.url, pid: c.pid })),
        connections,
        durationS,
        log,
        // nginx has no inspector: only the Node.js gateway is profiled.
        profile: values.profile
          ? {
              pids: { ...pids, ...(gateway.kind === 'node' ? { gateway: gateway.pid } : {}) },
              root,
            }
          : undefined,
      });
      results.http = measured.http;
      if (values.profile) results.profiles = measured.profiles;
      results.baseline = measured.baseline;
      results.ceilings = measured.ceilings;
      results.memory.baselines = { idle: baselineIdle, load: baselineSampler.stop() };
    }

    let events: EventsResult | undefined;
    if (phases.has('events')) {
      log('events: assignment → SSE notification, steady then burst; raw JetStream');
      events = await phase(results, 'events', () =>
        measureEvents({
          data,
          tasksUrl: serviceUrl('tasks'),
          notificationsUrl: serviceUrl('notifications'),
          natsUrl: stack.natsUrl,
          outboxDepth: () => outboxDepth(tasksDatabase(stack.stores.MONGO_URL ?? '')),
          ratePerS: 20,
          seconds: 20,
          burst: 1000,
        }),
      );
      results.events = events;
    }
    results.memory.load = sampler.stop();

    if (phases.has('growth')) {
      results.growth = await phase(results, 'growth', () =>
        growth({
          gateway: stack.url,
          tasksUrl: serviceUrl('tasks'),
          mongoUrl: tasksDatabase(stack.stores.MONGO_URL ?? ''),
          redisUrl: stack.stores.REDIS_URL ?? '',
          members: data.members.map((m) => m.id),
          maxGrowth,
        }),
      );
      results.memory.afterGrowth = sampler.snapshot();
    }
    results.durationS = Math.round((Date.now() - started) / 1000);

    mkdirSync(values.out, { recursive: true });
    const day = results.date.slice(0, 10);
    const name = values.label ? `${day}-${values.label}` : day;
    writeFileSync(join(values.out, `${name}.json`), `${JSON.stringify(results, null, 2)}\n`);
    const markdown = renderMarkdown(results);
    writeFileSync(join(values.out, `${name}.md`), markdown);
    if (!values.label) writeFileSync(join(values.out, 'latest.md'), markdown);
    process.stdout.write(`\n${markdown}\n`);
    log(`wrote ${join(values.out, `${name}.json`)} and .md in ${results.durationS} s`);
  } finally {
    await stopAll();
  }
}

/** Runs a phase; a failure is recorded in the results (and printed) instead of losing the run. */
async function phase<T>(
  results: BenchResults,
  name: string,
  work: () => Promise<T>,
): Promise<T | undefined> {
  try {
    return await work();
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    log(`${name} failed: ${message}`);
    (results.failures ??= []).push(`${name}: ${message}`);
    return undefined;
  }
}

async function growth(options: {
  gateway: string;
  tasksUrl: string;
  mongoUrl: string;
  redisUrl: string;
  members: string[];
  maxGrowth: number;
}): Promise<GrowthRow[]> {
  const owner = await signUp(options.gateway, 'growth');
  const team = await owner.session.expect<{ id: string }>(
    'POST',
    '/api/teams',
    { name: `Growth ${Date.now().toString(36)}` },
    201,
  );
  // One task made through the API: the one the update figure writes to. tasks learns of the
  // team through the stream, which may be busy with the earlier phases' events.
  let task: { id: string } | undefined;
  const deadline = Date.now() + 300_000;
  while (!task) {
    const res = await owner.session.call<{ id: string }>('POST', '/api/tasks', {
      teamId: team.id,
      title: 'Growth: updated by the bench',
    });
    if (res.status === 201) task = res.body;
    else if (res.status !== 404 || Date.now() > deadline) {
      throw new Error(`POST /api/tasks answered ${res.status}`);
    } else await new Promise((resolve) => setTimeout(resolve, 500));
  }
  // tasks' own stats cache (its Redis, its key prefix), to supersede the team's cached parts.
  const redis = new Redis(options.redisUrl, { maxRetriesPerRequest: 1 });
  const stats = new StatsCache(
    redis,
    TASKS_REDIS_PREFIX,
    600,
    createLogger('bench', { LOG_LEVEL: 'warn' }),
  );
  try {
    const rows: GrowthRow[] = [];
    let inserted = 0;
    for (const size of GROWTH_SIZES.filter((s) => s <= options.maxGrowth)) {
      log(`growth: inserting tasks up to ${size} in one team`);
      const insertSeconds = await insertGrowthTasks(
        options.mongoUrl,
        { teamId: team.id, creatorId: owner.id, assignees: [owner.id] },
        inserted,
        size,
      );
      inserted = size;
      log(`growth: measuring list, filter, stats and update at ${size}`);
      const figures = await measureGrowthRoutes({
        tasksUrl: options.tasksUrl,
        cookie: owner.cookie,
        teamId: team.id,
        taskId: task.id,
        maxMs: 15_000,
        timeoutMs: 60_000,
        invalidateStats: () => stats.invalidate(team.id),
      });
      rows.push({ tasks: size, insertSeconds: Math.round(insertSeconds * 10) / 10, ...figures });
    }
    return rows;
  } finally {
    await redis.quit();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(
    `[bench] ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
  );
  process.exit(1);
});
