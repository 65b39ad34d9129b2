import { existsSync } from 'node:fs';
import { join } from 'node:path';

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
}

export interface ServiceSpec {
  /** The Kubernetes Service name the ingress routes to. */
  name: string;
  workspace: string;
  /** Its port is the stack's base port plus this. */
  portOffset: number;
  command: (port: number) => string[];
  env: (context: StackContext) => Record<string, string>;
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

const nodeService = (workspace: string) => () => [
  'node',
  ...NODE_FLAGS,
  join(workspace, 'build', 'index.js'),
];

/** Every process of the suite, in start order. Missing workspaces are skipped. */
export const SERVICES: ServiceSpec[] = [
  {
    name: 'auth',
    workspace: 'auth',
    portOffset: 1,
    command: nodeService('auth'),
    env: (c) => ({
      MONGO_URL: mongoDatabase(c.mongoUrl, 'auth'),
      JWT_PRIVATE_KEY: c.jwt.privateKey,
    }),
  },
  {
    name: 'tickets',
    workspace: 'tickets',
    portOffset: 2,
    command: nodeService('tickets'),
    env: (c) => ({ MONGO_URL: mongoDatabase(c.mongoUrl, 'tickets') }),
  },
  {
    name: 'teams',
    workspace: 'teams',
    portOffset: 3,
    command: nodeService('teams'),
    env: (c) => ({ DATABASE_URL: c.databaseUrl }),
  },
  {
    name: 'tasks',
    workspace: 'tasks',
    portOffset: 4,
    command: nodeService('tasks'),
    env: (c) => ({
      MONGO_URL: mongoDatabase(c.mongoUrl, 'tasks'),
      ...(c.s3 && {
        S3_ENDPOINT: c.s3.endpoint,
        // Browsers upload and download through the gateway, which routes the bucket path to
        // the S3 server as the ingress routes it to the cluster's.
        S3_PUBLIC_ENDPOINT: c.publicUrl,
        S3_ACCESS_KEY: c.s3.accessKey,
        S3_SECRET_KEY: c.s3.secretKey,
        S3_REGION: c.s3.region,
        S3_BUCKET: 'taskforge-attachments',
        S3_FORCE_PATH_STYLE: 'true',
      }),
    }),
  },
  {
    name: 'notifications',
    workspace: 'notifications',
    portOffset: 5,
    command: nodeService('notifications'),
    env: (c) => ({
      MONGO_URL: mongoDatabase(c.mongoUrl, 'notifications'),
      SMTP_HOST: c.smtp.host,
      SMTP_PORT: String(c.smtp.port),
      MAIL_FROM: 'TaskForge <no-reply@taskforge.test>',
    }),
  },
  {
    name: 'client',
    workspace: 'client',
    portOffset: 6,
    // Its `npm start` run directly: npm's `sh -c` would not pass SIGTERM on to the server.
    command: (port) => [
      'node',
      join('client', 'scripts', 'start.mjs'),
      '-p',
      String(port),
      '-H',
      '127.0.0.1',
    ],
    env: (c) => ({ API_URL: c.publicUrl }),
  },
];

/**
 * Ingress backends that are stores rather than services (the attachment bucket goes straight
 * to the S3 server), and which of the stack's store ports stands in for each.
 */
export const STORE_BACKENDS = { s3: 's3' } as const;

/** The services whose workspace is in this checkout. */
export function availableServices(root: string): ServiceSpec[] {
  return SERVICES.filter((spec) => existsSync(join(root, spec.workspace, 'package.json')));
}

/** The environment every service gets, plus its own. */
export function serviceEnv(
  spec: ServiceSpec,
  context: StackContext,
  port: number,
): Record<string, string> {
  return {
    NODE_ENV: 'production',
    PORT: String(port),
    // Reached through the gateway only: nothing of the stack listens beyond this machine.
    LISTEN_ADDRESS: '127.0.0.1',
    NATS_URL: context.natsUrl,
    REDIS_URL: context.redisUrl,
    JWT_PUBLIC_KEY: context.jwt.publicKey,
    COOKIE_SECURE: 'false',
    PUBLIC_URL: context.publicUrl,
    ...spec.env(context),
  };
}
