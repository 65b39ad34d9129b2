import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  availableServices,
  NODE_FLAGS,
  SERVICES,
  serviceEnv,
  type StackContext,
} from '../services';

const root = join(__dirname, '..', '..', '..');

describe('the services of the local stack', () => {
  const services = availableServices(root).filter((spec) => spec.name !== 'client');

  it('run with the V8 flags of their images', () => {
    expect(services.length).toBeGreaterThan(0);
    for (const spec of services) {
      expect(spec.command(0).slice(0, 1 + NODE_FLAGS.length)).toEqual(['node', ...NODE_FLAGS]);
      const dockerfile = readFileSync(join(root, spec.workspace, 'Dockerfile'), 'utf8');
      // Every stage that runs the built service with node (the workspace's and the published).
      const commands = [...dockerfile.matchAll(/^CMD (\[.*\])$/gm)]
        .map((match) => JSON.parse(match[1]!) as string[])
        .filter((command) => command[0] === 'node');
      expect(commands.length).toBeGreaterThanOrEqual(2);
      for (const command of commands) {
        expect([spec.workspace, command.slice(0, -1)]).toEqual([
          spec.workspace,
          ['node', ...NODE_FLAGS],
        ]);
      }
    }
  });
});

describe('serviceEnv', () => {
  const context: StackContext = {
    root,
    mongoUrl: 'mongodb://127.0.0.1:20010/',
    redisUrl: 'redis://127.0.0.1:20011',
    databaseUrl: 'postgres://stack@127.0.0.1:20012/taskforge',
    natsUrl: 'nats://127.0.0.1:20013',
    s3: {
      endpoint: 'http://127.0.0.1:20014',
      accessKey: 'ak',
      secretKey: 'sk',
      region: 'us-east-1',
    },
    smtp: { host: '127.0.0.1', port: 20015 },
    jwt: { privateKey: 'private', publicKey: 'public' },
    publicUrl: 'http://localhost:20000',
  };
  const spec = (name: string) => SERVICES.find((s) => s.name === name)!;
  const shared = {
    NODE_ENV: 'production',
    PORT: '20004',
    LISTEN_ADDRESS: '127.0.0.1',
    NATS_URL: context.natsUrl,
    REDIS_URL: context.redisUrl,
    JWT_PUBLIC_KEY: 'public',
    COOKIE_SECURE: 'false',
    PUBLIC_URL: context.publicUrl,
  };

  it('values each variable of the topology from the stack: its database, its keys, S3', () => {
    expect(serviceEnv(spec('auth'), context, 20004)).toEqual({
      ...shared,
      MONGO_URL: 'mongodb://127.0.0.1:20010/auth',
      JWT_PRIVATE_KEY: 'private',
    });
    expect(serviceEnv(spec('teams'), context, 20004)).toEqual({
      ...shared,
      DATABASE_URL: context.databaseUrl,
    });
    expect(serviceEnv(spec('tasks'), context, 20004)).toEqual({
      ...shared,
      MONGO_URL: 'mongodb://127.0.0.1:20010/tasks',
      S3_ENDPOINT: 'http://127.0.0.1:20014',
      S3_PUBLIC_ENDPOINT: context.publicUrl,
      S3_ACCESS_KEY: 'ak',
      S3_SECRET_KEY: 'sk',
      S3_REGION: 'us-east-1',
      S3_BUCKET: 'taskforge-attachments',
      S3_FORCE_PATH_STYLE: 'true',
    });
    expect(serviceEnv(spec('notifications'), context, 20004)).toEqual({
      ...shared,
      MONGO_URL: 'mongodb://127.0.0.1:20010/notifications',
      SMTP_HOST: '127.0.0.1',
      SMTP_PORT: '20015',
      MAIL_FROM: 'TaskForge <no-reply@taskforge.test>',
    });
  });

  it('runs tasks without attachments when there is no S3 server', () => {
    expect(serviceEnv(spec('tasks'), { ...context, s3: undefined }, 20004)).toEqual({
      ...shared,
      MONGO_URL: 'mongodb://127.0.0.1:20010/tasks',
    });
  });

  it('sends the traces of every service, not the client, to Jaeger with --tracing alone', () => {
    const traced = { ...context, otlpEndpoint: 'http://127.0.0.1:20019' };
    const endpoints = (ctx: StackContext) =>
      SERVICES.map((s) => [s.name, serviceEnv(s, ctx, 20004).OTEL_EXPORTER_OTLP_ENDPOINT]);
    expect(endpoints(traced)).toEqual(
      SERVICES.map((s) => [s.name, s.name === 'client' ? undefined : traced.otlpEndpoint]),
    );
    expect(endpoints(context)).toEqual(SERVICES.map((s) => [s.name, undefined]));
  });

  it("sends every service's traces, not the client's, to Zipkin's API with --tracing=zipkin", () => {
    const zipkin = 'http://127.0.0.1:20018/api/v2/spans';
    const traced = { ...context, zipkinEndpoint: zipkin };
    const tracing = (ctx: StackContext) =>
      SERVICES.map((s) => {
        const env = serviceEnv(s, ctx, 20004);
        return [
          s.name,
          env.OTEL_TRACES_EXPORTER,
          env.OTEL_EXPORTER_ZIPKIN_ENDPOINT,
          env.OTEL_EXPORTER_OTLP_ENDPOINT,
        ];
      });
    expect(tracing(traced)).toEqual(
      SERVICES.map((s) =>
        s.name === 'client'
          ? [s.name, undefined, undefined, undefined]
          : [s.name, 'zipkin', zipkin, undefined],
      ),
    );
    expect(tracing(context)).toEqual(
      SERVICES.map((s) => [s.name, undefined, undefined, undefined]),
    );
  });

  it('points the client at the gateway, on loopback', () => {
    expect(serviceEnv(spec('client'), context, 20006)).toEqual({
      NODE_ENV: 'production',
      LISTEN_ADDRESS: '127.0.0.1',
      PORT: '20006',
      API_URL: context.publicUrl,
    });
    expect(spec('client').command(20006)).toEqual([
      'node',
      join('client', 'scripts', 'start.mjs'),
      '-p',
      '20006',
      '-H',
      '127.0.0.1',
    ]);
  });
});
