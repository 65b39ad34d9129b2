import { existsSync } from 'node:fs';
import { join } from 'node:path';
import {
  APPS,
  type App,
  type AppName,
  type EnvSource,
  type EnvVar,
  type StoreKind,
} from '@taskforge/topology';

/** Where the stack's stores listen, and what every service shares. */
export interface StackContext {
  root: string;
  mongoUrl: string;
  redisUrl: string;
  databaseUrl: string;
  natsUrl: string;
  s3: { endpoint: string; accessKey: string; secretKey: string; region: string } | undefined;
  smtp: { host: string; port: number };
  jwt: { privateKey: string; publicKey: string };
  publicUrl: string;
  /** Jaeger's OTLP/HTTP receiver, where the stack runs it (--tracing): the services trace. */
  otlpEndpoint?: string;
  /** Zipkin's span API, where the stack runs it (--tracing=zipkin): the services trace there. */
  zipkinEndpoint?: string;
}

export interface ServiceSpec {
  /** The Kubernetes Service name the ingress routes to. */
  name: AppName;
  workspace: string;
  /** Its port is the stack's base port plus this. */
  portOffset: number;
  /** What the stack waits for before it calls the process ready: its readiness probe's path. */
  readyPath: string;
  command: (port: number) => string[];
  stores: App['stores'];
  /** Its variables in the topology, which the stack gives values from its context. */
  env: App['env'];
}

function mongoDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

/**
 * The V8 flags every service runs with, here and in its image (each Dockerfile's `CMD`, which
 * infra's tests hold to this). With no memory limit V8 let a service's young generation grow to
 * 128 MB under load (two 64 MB semi-spaces): capped at 16 MB each, the services peaked 80–100 MB
 * lower under 100 connections with no loss of req/s (bench/results/fixes.md, 2026-12-06).
 */
export const NODE_FLAGS = ['--max-semi-space-size=16'];

function commandOf(app: App): (port: number) => string[] {
  if (app.component === 'web') {
    // Its `npm start` run directly: npm's `sh -c` would not pass SIGTERM on to the server.
    return (port) => [
      'node',
      join(app.workspace, 'scripts', 'start.mjs'),
      '-p',
      String(port),
      '-H',
      '127.0.0.1',
    ];
  }
  return () => ['node', ...NODE_FLAGS, join(app.workspace, 'build', 'index.js')];
}

/** Every process of the suite, in start order (the topology's). Missing workspaces are skipped. */
export const SERVICES: ServiceSpec[] = APPS.map((app) => ({
  name: app.name,
  workspace: app.workspace,
  portOffset: app.localPortOffset,
  readyPath: app.health.readiness,
  command: commandOf(app),
  stores: app.stores,
  env: app.env,
}));

/**
 * Ingress backends that are stores rather than services (the attachment bucket goes straight
 * to the S3 server), and which of the stack's store ports stands in for each.
 */
export const STORE_BACKENDS = { s3: 's3' } as const;

/** The services whose workspace is in this checkout. */
export function availableServices(root: string): ServiceSpec[] {
  return SERVICES.filter((spec) => existsSync(join(root, spec.workspace, 'package.json')));
}

/**
 * The deployment settings of the stack, by the name the topology gives them (the ConfigMap's
 * keys in Kubernetes). Those it leaves out keep the process's default: one NATS server needs
 * one stream replica; the client is told its address on its command line (not HOSTNAME) and
 * calls the gateway by its own host (no API_HOST); without --tracing no service traces.
 */
function settingsOf(context: StackContext): Record<string, string | undefined> {
  return {
    NODE_ENV: 'production',
    COOKIE_SECURE: 'false',
    PUBLIC_URL: context.publicUrl,
    MAIL_FROM: 'TaskForge <no-reply@taskforge.test>',
    API_URL: context.publicUrl,
    OTEL_EXPORTER_OTLP_ENDPOINT: context.otlpEndpoint,
    OTEL_TRACES_EXPORTER: context.zipkinEndpoint ? 'zipkin' : undefined,
    OTEL_EXPORTER_ZIPKIN_ENDPOINT: context.zipkinEndpoint,
  };
}

/** The stack's own credentials, by variable: its keys, and those of its S3 server. */
function secretsOf(context: StackContext): Record<string, string | undefined> {
  return {
    JWT_PUBLIC_KEY: context.jwt.publicKey,
    JWT_PRIVATE_KEY: context.jwt.privateKey,
    S3_ACCESS_KEY: context.s3?.accessKey,
    S3_SECRET_KEY: context.s3?.secretKey,
  };
}

/** A store's connection part as this stack runs it; undefined for a store it does not run. */
function storeValue(
  spec: ServiceSpec,
  source: Extract<EnvSource, { kind: 'store' }>,
  context: StackContext,
): string | undefined {
  const part = source.part ?? 'url';
  switch (source.store) {
    case 'mongo': {
      // Each service's own database on the stack's one MongoDB server.
      const database = spec.stores.find((store) => store.kind === 'mongo')?.database;
      return mongoDatabase(context.mongoUrl, database ?? spec.name);
    }
    case 'postgres':
      return context.databaseUrl;
    case 'redis':
      return context.redisUrl;
    case 'nats':
      return context.natsUrl;
    case 's3':
      return part === 'region' ? context.s3?.region : context.s3?.endpoint;
    case 'smtp':
      return part === 'port' ? String(context.smtp.port) : context.smtp.host;
  }
}

function envValue(
  spec: ServiceSpec,
  variable: EnvVar,
  context: StackContext,
  port: number,
): string | undefined {
  const { from } = variable;
  switch (from.kind) {
    case 'port':
      return String(port);
    case 'store':
      return storeValue(spec, from, context);
    case 'secret':
      return secretsOf(context)[variable.name];
    case 'setting':
      return settingsOf(context)[from.key ?? variable.name];
    case 'value':
      return from.value;
  }
}

/** The stack runs every store but S3, which only where scripts/infra.sh could provide it. */
function runs(store: StoreKind, context: StackContext): boolean {
  return store !== 's3' || context.s3 !== undefined;
}

/**
 * What a process gets: its variables in the topology, valued from the stack's context, and
 * what every process of the stack gets: NODE_ENV (the images set it in theirs) and a loopback
 * address, since nothing of the stack listens beyond this machine but the gateway.
 */
export function serviceEnv(
  spec: ServiceSpec,
  context: StackContext,
  port: number,
): Record<string, string> {
  const env: Record<string, string> = { NODE_ENV: 'production', LISTEN_ADDRESS: '127.0.0.1' };
  for (const variable of spec.env) {
    if (variable.onlyWith && !runs(variable.onlyWith, context)) continue;
    const value = envValue(spec, variable, context, port);
    if (value !== undefined) env[variable.name] = value;
  }
  return env;
}
