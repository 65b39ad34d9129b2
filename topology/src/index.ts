/*
 * The suite's topology, written once: each service and the web client, the workspace it is
 * built from, where it listens, the stores it uses, every environment variable it needs and
 * where the value comes from, its image and its probes.
 *
 * Plain data, no imports: the local stack turns it into each process's environment, resilience
 * and the benchmarks start and reach the services by it, the client's API types are generated
 * for its services, and infra's tests hold infra/k8s/base and skaffold.yaml to it. The manifests
 * are checked against it rather than generated from it, so they stay plain Kubernetes YAML.
 *
 * Node.js loads this file as it is (type stripping) wherever a tool's build runs it, so it keeps
 * to syntax that only erases: types, `as const`, `satisfies`; no enums.
 */

export type StoreKind = 'mongo' | 'postgres' | 'redis' | 'nats' | 's3' | 'smtp';

export interface StoreUse {
  kind: StoreKind;
  /** MongoDB: the service's own database. */
  database?: string;
  /**
   * The Kubernetes Service it reaches the store at; none for the mail relay, which is outside
   * the cluster.
   */
  host?: string;
}

export type EnvSource =
  /** The port the process listens on. */
  | { kind: 'port' }
  /** How to reach one of its stores: the URL (by default), or one part of the connection. */
  | { kind: 'store'; store: StoreKind; part?: 'url' | 'host' | 'port' | 'region' }
  /**
   * A credential: a Secret of that name in Kubernetes (infra/scripts/create-secrets.sh), its
   * key the variable's name; the local stack makes its own.
   */
  | { kind: 'secret'; secret: string }
  /**
   * A setting of the deployment: in Kubernetes the `taskforge-config` ConfigMap's key (the
   * variable's name unless `key` says otherwise) or a value in the Deployment, which the
   * overlays may change; locally the stack's own, or none, and the service's default applies.
   */
  | { kind: 'setting'; key?: string }
  /** The same value everywhere. */
  | { kind: 'value'; value: string };

export interface EnvVar {
  name: string;
  from: EnvSource;
  /**
   * Needed only with this store, which is optional: where it does not run (the local stack
   * without an S3 server) the variable is left out, and the service goes without the feature.
   */
  onlyWith?: StoreKind;
  /**
   * A feature's setting that only some deployments set (an overlay's component, a flag of the
   * local stack); the base's Deployments leave it out, and the service goes without the feature.
   * Where it is set, it comes from the source it names, as any other variable.
   */
  optional?: true;
  /**
   * A setting that only the local stack gives (one of its flags), never a Deployment: the
   * manifests must leave it out. The service goes without it otherwise.
   */
  localOnly?: true;
}

export interface App {
  /** The Deployment and Service in Kubernetes, and what the ingress routes to. */
  name: string;
  /** The npm workspace and folder it is built from; its Dockerfile is `<workspace>/Dockerfile`. */
  workspace: string;
  /** Its `app.kubernetes.io/component` label: an API service, or the web client. */
  component: 'service' | 'web';
  /** The image skaffold builds, deployed untagged. */
  image: string;
  /** The port its container listens on, and its Service's port. */
  containerPort: number;
  /** The local stack runs it on the stack's base port plus this (the gateway has the base). */
  localPortOffset: number;
  stores: readonly StoreUse[];
  /** Every variable its Deployment sets, no more. */
  env: readonly EnvVar[];
  /** What its readiness and liveness probes GET. */
  health: { readiness: string; liveness: string };
}

/** Every service's: common's base config (common/src/config.ts) and the suite's settings. */
export const SHARED_SERVICE_ENV = [
  { name: 'PORT', from: { kind: 'port' } },
  { name: 'NODE_ENV', from: { kind: 'setting' } },
  { name: 'NATS_URL', from: { kind: 'store', store: 'nats' } },
  // One replica per NATS server: one locally and in the base, three in prod.
  { name: 'NATS_STREAM_REPLICAS', from: { kind: 'setting' } },
  { name: 'REDIS_URL', from: { kind: 'store', store: 'redis' } },
  { name: 'JWT_PUBLIC_KEY', from: { kind: 'secret', secret: 'jwt-public-key' } },
  { name: 'COOKIE_SECURE', from: { kind: 'setting' } },
  { name: 'PUBLIC_URL', from: { kind: 'setting' } },
  // Where the service sends its traces (OTLP over HTTP): set, tracing is on. The dev overlay's
  // tracing component and `npm run stack -- --tracing` point it at Jaeger (TRACE_COLLECTOR).
  { name: 'OTEL_EXPORTER_OTLP_ENDPOINT', from: { kind: 'setting' }, optional: true },
  // Or Zipkin's own API, for `npm run stack -- --tracing=zipkin` alone: Zipkin 3 takes no OTLP,
  // and its UI is the one that ships ready to run (Jaeger's is not in its Go module). Kubernetes
  // keeps Jaeger through OTLP.
  { name: 'OTEL_TRACES_EXPORTER', from: { kind: 'setting' }, localOnly: true },
  { name: 'OTEL_EXPORTER_ZIPKIN_ENDPOINT', from: { kind: 'setting' }, localOnly: true },
] as const satisfies readonly EnvVar[];

/**
 * The trace collector where tracing is on: Jaeger all-in-one (in-memory storage), its Service in
 * the dev overlay's tracing component, and its two ports in the local stack's block: the UI with
 * the query API, and the OTLP over HTTP receiver every service exports to.
 */
export const TRACE_COLLECTOR = {
  name: 'jaeger',
  uiPort: 16686,
  otlpHttpPort: 4318,
  localPortOffsets: { ui: 18, otlpHttp: 19 },
} as const;

/** Every service publishes and consumes through NATS, and rate-limits and caches in Redis. */
const SHARED_STORES = [
  { kind: 'nats', host: 'nats' },
  { kind: 'redis', host: 'redis' },
] as const satisfies readonly StoreUse[];

const SERVICE_HEALTH = { readiness: '/readyz', liveness: '/healthz' } as const;

/** The API services, in the stack's start order. */
export const SERVICES = [
  {
    name: 'auth',
    workspace: 'auth',
    component: 'service',
    image: 'taskforge/auth',
    containerPort: 3000,
    localPortOffset: 1,
    stores: [{ kind: 'mongo', database: 'auth', host: 'auth-mongo' }, ...SHARED_STORES],
    env: [
      ...SHARED_SERVICE_ENV,
      { name: 'MONGO_URL', from: { kind: 'store', store: 'mongo' } },
      // Only auth signs sessions; every other service verifies them with the public key.
      { name: 'JWT_PRIVATE_KEY', from: { kind: 'secret', secret: 'jwt-private-key' } },
    ],
    health: SERVICE_HEALTH,
  },
  {
    name: 'tickets',
    workspace: 'tickets',
    component: 'service',
    image: 'taskforge/tickets',
    containerPort: 3000,
    localPortOffset: 2,
    stores: [{ kind: 'mongo', database: 'tickets', host: 'tickets-mongo' }, ...SHARED_STORES],
    env: [...SHARED_SERVICE_ENV, { name: 'MONGO_URL', from: { kind: 'store', store: 'mongo' } }],
    health: SERVICE_HEALTH,
  },
  {
    name: 'teams',
    workspace: 'teams',
    component: 'service',
    image: 'taskforge/teams',
    containerPort: 3000,
    localPortOffset: 3,
    stores: [{ kind: 'postgres', host: 'teams-postgres' }, ...SHARED_STORES],
    env: [
      ...SHARED_SERVICE_ENV,
      { name: 'DATABASE_URL', from: { kind: 'store', store: 'postgres' } },
    ],
    health: SERVICE_HEALTH,
  },
  {
    name: 'tasks',
    workspace: 'tasks',
    component: 'service',
    image: 'taskforge/tasks',
    containerPort: 3000,
    localPortOffset: 4,
    stores: [
      { kind: 'mongo', database: 'tasks', host: 'tasks-mongo' },
      ...SHARED_STORES,
      // Attachments; without an S3 server tasks runs without them.
      { kind: 's3', host: 's3' },
    ],
    env: [
      ...SHARED_SERVICE_ENV,
      { name: 'MONGO_URL', from: { kind: 'store', store: 'mongo' } },
      { name: 'S3_ENDPOINT', from: { kind: 'store', store: 's3' } },
      // Browsers upload and download through presigned URLs: they are signed for the public
      // address (the ingress host, or the local gateway), which routes the bucket path to S3.
      { name: 'S3_PUBLIC_ENDPOINT', from: { kind: 'setting', key: 'PUBLIC_URL' }, onlyWith: 's3' },
      {
        name: 'S3_BUCKET',
        from: { kind: 'value', value: 'taskforge-attachments' },
        onlyWith: 's3',
      },
      { name: 'S3_REGION', from: { kind: 'store', store: 's3', part: 'region' } },
      { name: 'S3_FORCE_PATH_STYLE', from: { kind: 'value', value: 'true' }, onlyWith: 's3' },
      { name: 'S3_ACCESS_KEY', from: { kind: 'secret', secret: 's3-credentials' }, onlyWith: 's3' },
      { name: 'S3_SECRET_KEY', from: { kind: 'secret', secret: 's3-credentials' }, onlyWith: 's3' },
    ],
    health: SERVICE_HEALTH,
  },
  {
    name: 'notifications',
    workspace: 'notifications',
    component: 'service',
    image: 'taskforge/notifications',
    containerPort: 3000,
    localPortOffset: 5,
    stores: [
      { kind: 'mongo', database: 'notifications', host: 'notifications-mongo' },
      ...SHARED_STORES,
      // A relay outside the cluster (the base names none; dev points at Mailpit), the stack's
      // SMTP sink locally.
      { kind: 'smtp' },
    ],
    env: [
      ...SHARED_SERVICE_ENV,
      { name: 'MONGO_URL', from: { kind: 'store', store: 'mongo' } },
      { name: 'SMTP_HOST', from: { kind: 'store', store: 'smtp', part: 'host' } },
      { name: 'SMTP_PORT', from: { kind: 'store', store: 'smtp', part: 'port' } },
      { name: 'MAIL_FROM', from: { kind: 'setting' } },
    ],
    health: SERVICE_HEALTH,
  },
] as const satisfies readonly App[];

/** The web client: it calls the APIs through the ingress only, so it has no store. */
export const CLIENT = {
  name: 'client',
  workspace: 'client',
  component: 'web',
  image: 'taskforge/client',
  containerPort: 3000,
  localPortOffset: 6,
  stores: [],
  // NODE_ENV comes from its image: production in the runtime stage, unset for `next dev`.
  env: [
    { name: 'PORT', from: { kind: 'port' } },
    { name: 'HOSTNAME', from: { kind: 'setting' } },
    // The ingress controller in the cluster, the gateway locally.
    { name: 'API_URL', from: { kind: 'setting' } },
    // The Host the ingress routes by, when API_URL is not itself that host.
    { name: 'API_HOST', from: { kind: 'setting' } },
  ],
  health: { readiness: '/healthz', liveness: '/healthz' },
} as const satisfies App;

/** Everything of ours that runs: each its own workspace, image, Deployment and Service. */
export const APPS = [...SERVICES, CLIENT] as const satisfies readonly App[];

export type ServiceName = (typeof SERVICES)[number]['name'];
export type AppName = (typeof APPS)[number]['name'];
