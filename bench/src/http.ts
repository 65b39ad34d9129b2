import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { Profiler, summarize, type ProcessProfile } from './cpu-profile';
import { runLoad, type LoadOptions, type LoadResult } from './load';
import type { BenchData } from './seed';

/** One route's load, straight to its service or through the stack's gateway. */
export interface RouteResult extends LoadResult {
  route: string;
  kind: RouteKind;
  connections: number;
  via: 'direct' | 'gateway';
}

/** The bare Express baseline at one connection count (measured first and last). */
export interface BaselineResult extends LoadResult {
  connections: number;
}

/** What a route's figure is held to: its share of bare Express (targets in the report). */
export type RouteKind = 'no-store' | 'read-by-id' | 'page' | 'write' | 'other';

interface Route {
  route: string;
  kind: RouteKind;
  service: 'auth' | 'tickets' | 'tasks' | 'notifications';
  /** The path; a write's `options.path` gives each request its own. */
  path: string;
  options: Omit<LoadOptions, 'connections' | 'durationS' | 'url'>;
}

/** The hot routes, on the data the seed made (its team holds 1,000 tasks by then). */
export function hotRoutes(data: BenchData): Route[] {
  const admin = { cookie: data.admin.cookie };
  const team = encodeURIComponent(data.teamId);
  let n = 0;
  return [
    {
      route: 'GET /api/users/currentuser',
      kind: 'no-store',
      service: 'auth',
      path: '/api/users/currentuser',
      options: { headers: admin },
    },
    {
      route: 'GET /api/tickets/:id',
      kind: 'read-by-id',
      service: 'tickets',
      path: `/api/tickets/${data.ticketIds[0]}`,
      options: { headers: admin },
    },
    {
      route: 'GET /api/tasks/:id',
      kind: 'read-by-id',
      service: 'tasks',
      path: `/api/tasks/${data.taskIds[0]}`,
      options: { headers: admin },
    },
    {
      route: 'GET /api/notifications/unread-count',
      kind: 'read-by-id',
      service: 'notifications',
      path: '/api/notifications/unread-count',
      options: { headers: { cookie: data.members[0]!.cookie } },
    },
    {
      route: 'GET /api/tickets (a page of 20)',
      kind: 'page',
      service: 'tickets',
      path: '/api/tickets?limit=20',
      options: { headers: admin },
    },
    {
      route: 'GET /api/tasks?status=todo (a page of 20 of 1,000)',
      kind: 'page',
      service: 'tasks',
      path: `/api/tasks?teamId=${team}&status=todo&limit=20`,
      options: { headers: admin },
    },
    {
      route: 'POST /api/tickets',
      kind: 'write',
      service: 'tickets',
      path: '/api/tickets',
      options: {
        method: 'POST',
        headers: admin,
        body: () => ({ title: `Load ticket ${(n += 1)}`, price: 25 }),
      },
    },
    {
      route: 'PATCH /api/tasks/:id',
      kind: 'write',
      service: 'tasks',
      path: `/api/tasks/${data.taskIds[0]}`,
      options: {
        method: 'PATCH',
        headers: admin,
        // Round robin over the seeded tasks, each write a real change.
        path: () => `/api/tasks/${data.taskIds[n % data.taskIds.length]}`,
        body: () => ({ title: `Load update ${(n += 1)}` }),
      },
    },
    {
      route: 'GET /api/tasks/stats',
      kind: 'other',
      service: 'tasks',
      path: `/api/tasks/stats?teamId=${team}`,
      options: { headers: admin },
    },
  ];
}

/** Bare Express, in its own process like a service. */
export async function startBareExpress(): Promise<{ url: string; stop(): void }> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(__dirname, 'bare-express.ts')], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, NODE_ENV: 'production' },
  });
  const port = await new Promise<string>((done, fail) => {
    child.stdout.once('data', (chunk: Buffer) => done(chunk.toString().trim()));
    child.once('exit', (code) => fail(new Error(`bare Express exited with ${code}`)));
  });
  return { url: `http://127.0.0.1:${port}`, stop: () => child.kill('SIGTERM') };
}

/**
 * Every route at every connection count, straight to its service and then through the
 * gateway, with bare Express measured before and after each connection count.
 */
export async function measureHttp(options: {
  routes: Route[];
  serviceUrl: (service: Route['service']) => string;
  gatewayUrl: string;
  bareUrl: string;
  connections: number[];
  durationS: number;
  log: (message: string) => void;
  /** Profile each route's service (and the gateway) during the first pass. */
  profile?: { pids: Partial<Record<Route['service'] | 'gateway', number>>; root: string };
}): Promise<{ http: RouteResult[]; baseline: BaselineResult[]; profiles: ProcessProfile[] }> {
  const http: RouteResult[] = [];
  const baseline: BaselineResult[] = [];
  const profiles: ProcessProfile[] = [];
  const profilers = new Map<string, Promise<Profiler>>();
  const profilerOf = (name: Route['service'] | 'gateway') => {
    const pid = options.profile?.pids[name];
    if (pid === undefined) return undefined;
    if (!profilers.has(name)) profilers.set(name, Profiler.attach(pid));
    return profilers.get(name);
  };
  for (const connections of options.connections) {
    const load = (url: string, o: Partial<LoadOptions> = {}) =>
      runLoad({ url, connections, durationS: options.durationS, ...o });
    options.log(`HTTP ${connections}: bare Express`);
    baseline.push({ connections, ...(await load(`${options.bareUrl}/`)) });
    for (const route of options.routes) {
      for (const via of ['direct', 'gateway'] as const) {
        const base = via === 'direct' ? options.serviceUrl(route.service) : options.gatewayUrl;
        options.log(`HTTP ${connections}: ${route.route} (${via})`);
        const target = via === 'direct' ? route.service : 'gateway';
        const profiler =
          connections === options.connections[0] ? await profilerOf(target) : undefined;
        await profiler?.start();
        const result = await load(`${base}${route.path}`, route.options);
        const profile = await profiler?.stop();
        if (profile) {
          profiles.push(summarize(`${target}, ${route.route}`, profile, options.profile!.root));
        }
        http.push({ route: route.route, kind: route.kind, connections, via, ...result });
      }
    }
    options.log(`HTTP ${connections}: bare Express again (drift check)`);
    baseline.push({ connections, ...(await load(`${options.bareUrl}/`)) });
  }
  for (const profiler of profilers.values()) (await profiler).close();
  return { http, baseline, profiles };
}
