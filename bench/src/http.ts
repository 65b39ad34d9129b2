import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { stripTypeScriptTypes } from 'node:module';
import { dirname, join } from 'node:path';
import { Profiler, summarize, type ProcessProfile } from './cpu-profile';
import { runLoad, type LoadOptions, type LoadResult } from './load';
import type { Ceiling } from './bare-express';
import type { BenchData } from './seed';

/** One route's load, straight to its service or through the stack's gateway. */
export interface RouteResult extends LoadResult {
  route: string;
  kind: RouteKind;
  ceiling?: LoadCeiling;
  connections: number;
  via: 'direct' | 'gateway';
}

/** The bare Express baseline at one connection count (measured first and last). */
export interface BaselineResult extends LoadResult {
  connections: number;
}

/** What a route's figure is held to: its share of bare Express (targets in the report). */
export type RouteKind = 'no-store' | 'read-by-id' | 'page' | 'write' | 'other';

/** The ceilings measured under load (`libraries` is for memory only). */
export const LOAD_CEILINGS = ['redis', 'store-by-id', 'store-page', 'store-write'] as const;
export type LoadCeiling = (typeof LOAD_CEILINGS)[number];

/** Bare Express doing the one thing a route cannot do without (bare-express.ts). */
export interface CeilingServer {
  ceiling: LoadCeiling;
  url: string;
  pid: number;
}

/** A ceiling at one connection count (measured once per pass, after the first baseline). */
export interface CeilingResult extends LoadResult {
  ceiling: LoadCeiling;
  connections: number;
}

interface Route {
  route: string;
  kind: RouteKind;
  /** What the route cannot do without: no route passes its ceiling. */
  ceiling?: LoadCeiling;
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
      ceiling: 'redis',
      kind: 'no-store',
      service: 'auth',
      path: '/api/users/currentuser',
      options: { headers: admin },
    },
    {
      route: 'GET /api/tickets/:id',
      ceiling: 'store-by-id',
      kind: 'read-by-id',
      service: 'tickets',
      path: `/api/tickets/${data.ticketIds[0]}`,
      options: { headers: admin },
    },
    {
      route: 'GET /api/tasks/:id',
      ceiling: 'store-by-id',
      kind: 'read-by-id',
      service: 'tasks',
      path: `/api/tasks/${data.taskIds[0]}`,
      options: { headers: admin },
    },
    {
      route: 'GET /api/notifications/unread-count',
      ceiling: 'redis',
      kind: 'read-by-id',
      service: 'notifications',
      path: '/api/notifications/unread-count',
      options: { headers: { cookie: data.members[0]!.cookie } },
    },
    {
      route: 'GET /api/tickets (a page of 20)',
      ceiling: 'store-page',
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
      ceiling: 'store-write',
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
      ceiling: 'store-write',
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

/** Bare Express (or one of its ceilings), in its own process like a service. */
export async function startBareExpress(
  ceiling?: Ceiling,
  env: Record<string, string> = {},
): Promise<{ url: string; pid: number; stop(): void }> {
  // Plain JavaScript, so that the measured process holds no TypeScript loader (tsx, or the
  // wasm Node.js strips types with): it would count in the RSS.
  const script = join(__dirname, '..', 'build', 'bare-express.mjs');
  mkdirSync(dirname(script), { recursive: true });
  writeFileSync(
    script,
    stripTypeScriptTypes(readFileSync(join(__dirname, 'bare-express.ts'), 'utf8')),
  );
  const args = [script, ...(ceiling ? [ceiling] : [])];
  const child = spawn(process.execPath, args, {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, ...env, NODE_ENV: 'production' },
  });
  const port = await new Promise<string>((done, fail) => {
    child.stdout.once('data', (chunk: Buffer) => done(chunk.toString().trim()));
    child.once('exit', (code) => fail(new Error(`bare Express exited with ${code}`)));
  });
  return { url: `http://127.0.0.1:${port}`, pid: child.pid!, stop: () => child.kill('SIGTERM') };
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
  /** Measured in each pass after the first baseline. */
  ceilings?: CeilingServer[];
  connections: number[];
  durationS: number;
  log: (message: string) => void;
  /** Profile each route's service (and the gateway) during the first pass. */
  profile?: { pids: Partial<Record<Route['service'] | 'gateway', number>>; root: string };
}): Promise<{
  http: RouteResult[];
  baseline: BaselineResult[];
  ceilings: CeilingResult[];
  profiles: ProcessProfile[];
}> {
  const http: RouteResult[] = [];
  const ceilings: CeilingResult[] = [];
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
    for (const server of options.ceilings ?? []) {
      options.log(`HTTP ${connections}: ceiling ${server.ceiling}`);
      const result = await load(`${server.url}/`, {
        method: server.ceiling === 'store-write' ? 'POST' : 'GET',
      });
      ceilings.push({ ceiling: server.ceiling, connections, ...result });
    }
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
        http.push({
          route: route.route,
          kind: route.kind,
          ...(route.ceiling ? { ceiling: route.ceiling } : {}),
          connections,
          via,
          ...result,
        });
      }
    }
    options.log(`HTTP ${connections}: bare Express again (drift check)`);
    baseline.push({ connections, ...(await load(`${options.bareUrl}/`)) });
  }
  for (const profiler of profilers.values()) (await profiler).close();
  return { http, baseline, ceilings, profiles };
}
