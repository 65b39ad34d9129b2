import { execFile } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { join, resolve } from 'node:path';
import { parseArgs, promisify } from 'node:util';
import type { SMTPServer } from 'smtp-server';
import { TRACE_COLLECTOR } from '@taskforge/topology';
import { createGateway } from './gateway';
import { readIngressRoutes } from './ingress';
import { startJaeger } from './jaeger';
import { findJava, startZipkin, zipkinSpansUrl } from './zipkin';
import { findNginx, startNginxGateway } from './nginx-gateway';
import { recordOf, stopLeftovers, type StackState } from './leftovers';
import { openPort } from './ports';
import { startProcess, stopProcess, waitUntilReady, type RunningProcess } from './processes';
import { describeSeed, seed } from './seed';
import { availableServices, serviceEnv, STORE_BACKENDS, type StackContext } from './services';
import {
  provisionStores,
  startNats,
  startSmtpSink,
  startStores,
  stopStores,
  type StorePorts,
} from './stores';

const USAGE = `Usage: npm run stack -- [options]

Starts the whole suite on this machine: the stores, nats-server, an SMTP sink, every service,
the client, and a gateway on http://localhost:<port> that routes as the ingress does.

  --port <n>     the gateway's port; the other processes use the next ports (default 8080)
  --host <addr>  the gateway's address: 127.0.0.1 (the default) or 0.0.0.0 (every interface);
                 the services and stores listen on 127.0.0.1 whatever it is
  --seed         fill the suite with demo users, teams, tasks and tickets
  --gateway <g>  nginx (the server ingress-nginx runs; the default when installed) or node
  --no-build     skip \`npm run build\` (use the last build)
  --dir <path>   where data, logs and mail go (default .local/stack)
  --fresh        start with empty stores and event stream (the data of earlier runs is kept
                 otherwise)
  --throwaway    start empty and remove the data at the stop, not written to disk as it comes
                 (what the tests and the benchmarks run)
  --tracing [jaeger|zipkin]
                 run a trace server (traces in memory) and send every service's traces to it,
                 on the gateway's port + 18. jaeger (the default): its API, but no UI (built from
                 the Go module proxy once: a few minutes); zipkin: its UI, where a request is
                 clicked through (needs Java 17; downloaded from Maven Central once)
  -h, --help     this text`;

const run = promisify(execFile);

const TRACE_SERVERS = ['jaeger', 'zipkin'] as const;

/**
 * The arguments with a bare `--tracing` (no server named after it) as `--tracing=jaeger`, as it
 * meant before it took a value: parseArgs wants one for a string option.
 */
function withTracingDefault(args: string[]): string[] {
  return args.map((arg, i) => {
    const next = args[i + 1];
    return arg === '--tracing' && (next === undefined || next.startsWith('-'))
      ? '--tracing=jaeger'
      : arg;
  });
}

function log(message: string): void {
  process.stdout.write(`[stack] ${message}\n`);
}

function portsFrom(base: number): StorePorts {
  return {
    nats: base + 10,
    natsMonitor: base + 11,
    smtp: base + 12,
    mongo: base + 13,
    redis: base + 14,
    postgres: base + 15,
    s3: base + 16,
    documentdbPostgres: base + 17,
  };
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The JWT pair auth signs with; kept in the stack folder so a re-run keeps sessions valid. */
function loadKeys(dir: string): StackContext['jwt'] {
  const file = join(dir, 'jwt-keys.json');
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as StackContext['jwt'];
  const { privateKey, publicKey } = generateKeyPairSync('ec', {
    namedCurve: 'P-256',
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  const keys = { privateKey, publicKey };
  writeFileSync(file, JSON.stringify(keys), { mode: 0o600 });
  return keys;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    args: withTracingDefault(process.argv.slice(2)),
    options: {
      port: { type: 'string', default: process.env.TF_STACK_PORT ?? '8080' },
      host: { type: 'string', default: '127.0.0.1' },
      seed: { type: 'boolean', default: false },
      gateway: { type: 'string' },
      'no-build': { type: 'boolean', default: false },
      dir: { type: 'string' },
      fresh: { type: 'boolean', default: false },
      throwaway: { type: 'boolean', default: false },
      tracing: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const base = Number(values.port);
  if (!Number.isInteger(base) || base < 1024 || base > 65_000) {
    throw new Error(`--port must be an integer between 1024 and 65000, got ${values.port}`);
  }

  if (!['127.0.0.1', '0.0.0.0'].includes(values.host)) {
    throw new Error(
      `--host must be 127.0.0.1 (this machine) or 0.0.0.0 (every interface), got ${values.host}`,
    );
  }
  if (values.gateway !== undefined && !['nginx', 'node'].includes(values.gateway)) {
    throw new Error(`--gateway must be nginx or node, got ${values.gateway}`);
  }
  const tracing = values.tracing as (typeof TRACE_SERVERS)[number] | undefined;
  if (tracing !== undefined && !TRACE_SERVERS.includes(tracing)) {
    throw new Error(`--tracing must be jaeger (the default) or zipkin, got ${values.tracing}`);
  }
  // Before anything starts: a stack without its trace server would not be what was asked for.
  const java = tracing === 'zipkin' ? await findJava() : undefined;
  const nginx = values.gateway === 'node' ? undefined : findNginx();
  if (values.gateway === 'nginx' && !nginx) {
    throw new Error(
      '--gateway nginx: nginx is not installed (scripts/infra.sh provision installs it)',
    );
  }

  const root = resolve(__dirname, '..', '..');
  const dir = resolve(root, values.dir ?? join('.local', 'stack'));
  const url = `http://localhost:${base}`;
  const stateFile = join(dir, 'stack.json');
  if (existsSync(stateFile)) {
    const previous = JSON.parse(readFileSync(stateFile, 'utf8')) as StackState;
    if (isAlive(previous.pid)) {
      log(`already running (pid ${previous.pid}) at ${previous.url}; stop it with Ctrl-C there`);
      return;
    }
    // The last run did not stop (killed, or crashed): what it started may still hold the ports.
    const left = await stopLeftovers(previous);
    if (left.length > 0) {
      log(`stopped what the last run (pid ${previous.pid}) left running: ${left.join(', ')}`);
    }
  }
  mkdirSync(join(dir, 'logs'), { recursive: true });
  const state: StackState = { pid: process.pid, url, processes: [] };
  const saveState = () => writeFileSync(stateFile, JSON.stringify(state));
  const started = (proc: RunningProcess) => {
    const record = recordOf(proc.name, proc.child.pid);
    if (record) state.processes!.push(record);
    saveState();
    return proc;
  };
  saveState();

  const ports = portsFrom(base);
  const tracePorts = {
    ui: base + TRACE_COLLECTOR.localPortOffsets.ui,
    otlpHttp: base + TRACE_COLLECTOR.localPortOffsets.otlpHttp,
  };
  const keep = !values.throwaway;
  const processes: RunningProcess[] = [];
  let smtp: SMTPServer | undefined;
  let gateway: Server | undefined;
  let nginxGateway: RunningProcess | undefined;
  let storesStarted = false;

  let stopping: Promise<void> | undefined;
  const shutdown = () =>
    (stopping ??= (async () => {
      log('stopping');
      await new Promise<void>((done) => (gateway ? gateway.close(() => done()) : done()));
      gateway?.closeAllConnections();
      if (nginxGateway) await stopProcess(nginxGateway);
      // Services first (they drain NATS, close their stores and send their last spans), then
      // what they used.
      const used = ['nats', 'jaeger', 'zipkin'];
      const services = processes.filter((p) => !used.includes(p.name));
      await Promise.all(services.map((p) => stopProcess(p)));
      await Promise.all(processes.filter((p) => used.includes(p.name)).map((p) => stopProcess(p)));
      await new Promise<void>((done) => (smtp ? smtp.close(() => done()) : done()));
      if (storesStarted) await stopStores(root, dir, ports, keep);
      rmSync(stateFile, { force: true });
      log('stopped');
    })());
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      process.once(signal, () => process.exit(1));
      void shutdown().then(() => process.exit(0));
    });
  }

  try {
    log('provisioning (installs only what is missing)');
    await provisionStores(root);
    if (!values['no-build']) {
      log('building (npm run build)');
      const { stdout, stderr } = await run('npm', ['run', 'build'], {
        cwd: root,
        maxBuffer: 64 * 1024 * 1024,
      });
      writeFileSync(join(dir, 'logs', 'build.log'), stdout + stderr);
    }

    if (values.fresh || !keep) {
      // The stores' data, the event stream and the mail go together: events or mail of data
      // that is gone would replay or mislead.
      if (values.fresh) log('removing the data of earlier runs (--fresh)');
      await stopStores(root, dir, ports, false);
      for (const part of ['nats', 'mail'])
        rmSync(join(dir, part), { recursive: true, force: true });
    }
    log(keep ? `starting stores (their data is kept in ${dir})` : 'starting stores');
    storesStarted = true;
    const stores = await startStores(root, dir, ports, keep);
    processes.push(started(await startNats(dir, ports, required(stores, 'NATS_SERVER_BIN'))));
    smtp = await startSmtpSink(join(dir, 'mail'), ports.smtp);
    if (tracing === 'jaeger') {
      log('starting Jaeger (scripts/jaeger.sh builds it once)');
      processes.push(started(await startJaeger(root, dir, tracePorts)));
      log(`traces: http://localhost:${tracePorts.ui}/  (Jaeger, in memory; API at /api/traces)`);
    }
    if (java) {
      log('starting Zipkin (scripts/zipkin.sh downloads it once)');
      processes.push(started(await startZipkin(root, dir, { java, port: tracePorts.ui })));
      log(`traces: http://localhost:${tracePorts.ui}/zipkin/  (Zipkin, in memory)`);
    }

    const context: StackContext = {
      root,
      mongoUrl: required(stores, 'MONGO_URL'),
      redisUrl: required(stores, 'REDIS_URL'),
      databaseUrl: required(stores, 'DATABASE_URL'),
      natsUrl: `nats://127.0.0.1:${ports.nats}`,
      s3: stores.S3_ENDPOINT
        ? {
            endpoint: stores.S3_ENDPOINT,
            accessKey: required(stores, 'S3_ACCESS_KEY'),
            secretKey: required(stores, 'S3_SECRET_KEY'),
            region: stores.S3_REGION ?? 'us-east-1',
          }
        : undefined,
      smtp: { host: '127.0.0.1', port: ports.smtp },
      jwt: loadKeys(dir),
      publicUrl: url,
      otlpEndpoint: tracing === 'jaeger' ? `http://127.0.0.1:${tracePorts.otlpHttp}` : undefined,
      zipkinEndpoint: java ? zipkinSpansUrl(tracePorts.ui) : undefined,
    };

    const services = availableServices(root);
    const upstreams = new Map<string, number>();
    for (const spec of services) {
      const port = base + spec.portOffset;
      upstreams.set(spec.name, port);
      processes.push(
        started(
          startProcess({
            name: spec.name,
            command: spec.command(port),
            cwd: root,
            env: serviceEnv(spec, context, port),
            logFile: join(dir, 'logs', `${spec.name}.log`),
          }),
        ),
      );
    }
    log(`starting ${services.map((s) => s.name).join(', ')}`);
    await Promise.all(
      services.map((spec) => {
        const proc = processes.find((p) => p.name === spec.name)!;
        const url = `http://127.0.0.1:${upstreams.get(spec.name)}${spec.readyPath}`;
        return waitUntilReady(url, proc, 90_000);
      }),
    );

    const routes = readIngressRoutes(join(root, 'infra', 'k8s', 'base', 'ingress.yaml'));
    const upstream = (service: string) => {
      const store = STORE_BACKENDS[service as keyof typeof STORE_BACKENDS];
      const port = store ? ports[store] : upstreams.get(service);
      return port ? `http://127.0.0.1:${port}` : undefined;
    };
    if (nginx) {
      nginxGateway = started(
        startNginxGateway({
          nginx,
          dir: join(dir, 'gateway'),
          port: base,
          host: values.host,
          routes,
          upstream,
          logFile: join(dir, 'logs', 'gateway.log'),
        }),
      );
      await openPort(base, 10_000, nginxGateway);
      log(`gateway: nginx (access log: ${join(dir, 'gateway', 'access.log')})`);
    } else {
      const app = createGateway({ routes, upstream });
      gateway = await new Promise<Server>((resolveListen, reject) => {
        const server = app.listen(base, values.host, (err?: Error) =>
          err ? reject(err) : resolveListen(server),
        );
      });
      log('gateway: Node.js (nginx is not installed, or --gateway node)');
    }

    log(`ready: ${url}`);
    log(`logs: ${join(dir, 'logs')}  mail: ${join(dir, 'mail')}  (Ctrl-C stops everything)`);
    if (values.seed) {
      log('seeding demo data');
      for (const line of describeSeed(await seed(url, context.natsUrl))) log(line);
    }
  } catch (err) {
    log(`failed: ${err instanceof Error ? err.message : String(err)}`);
    await shutdown();
    process.exit(1);
  }
}

function required(values: Record<string, string>, name: string): string {
  const value = values[name];
  if (!value) throw new Error(`scripts/infra.sh did not report ${name}`);
  return value;
}

main().catch((err: unknown) => {
  process.stderr.write(`[stack] ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
