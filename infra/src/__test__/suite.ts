/**
 * What the manifests must give the suite, written out once for the tests: each service's
 * environment and the stores it may reach.
 */

/** Every service: common's base config and the settings the suite gives all of them. */
export const COMMON_ENV = [
  'PORT',
  'NODE_ENV',
  'NATS_URL',
  'NATS_STREAM_REPLICAS',
  'REDIS_URL',
  'JWT_PUBLIC_KEY',
  'COOKIE_SECURE',
  'PUBLIC_URL',
];

/**
 * Each service's own variables: what its src/config.ts requires, and what the suite sets where
 * a default would be wrong (tasks' S3_PUBLIC_ENDPOINT must be the ingress, not the S3 server).
 */
export const SERVICE_ENV: Record<string, string[]> = {
  auth: ['MONGO_URL', 'JWT_PRIVATE_KEY'],
  tickets: ['MONGO_URL'],
  teams: ['DATABASE_URL'],
  tasks: [
    'MONGO_URL',
    'S3_ENDPOINT',
    'S3_PUBLIC_ENDPOINT',
    'S3_BUCKET',
    'S3_REGION',
    'S3_FORCE_PATH_STYLE',
    'S3_ACCESS_KEY',
    'S3_SECRET_KEY',
  ],
  notifications: ['MONGO_URL', 'SMTP_HOST', 'SMTP_PORT', 'MAIL_FROM'],
};

export const SERVICES = Object.keys(SERVICE_ENV);

/** The web client: a Deployment of our own image that only calls the APIs through the ingress. */
export const CLIENT = 'client';
export const CLIENT_ENV = ['PORT', 'HOSTNAME', 'API_URL', 'API_HOST'];

/** Every image of ours, built by skaffold: the services and the client. */
export const IMAGES = [...SERVICES, CLIENT];

/** The services' MongoDBs: one instance of infra/k8s/base/mongo each. */
export const MONGO_INSTANCES = [
  'auth-mongo',
  'tickets-mongo',
  'tasks-mongo',
  'notifications-mongo',
];

/** The Services each service's connection URLs lead to: its own stores, NATS and Redis. */
export const REACHES: Record<string, string[]> = {
  auth: ['auth-mongo', 'nats', 'redis'],
  tickets: ['nats', 'redis', 'tickets-mongo'],
  teams: ['nats', 'redis', 'teams-postgres'],
  tasks: ['nats', 'redis', 's3', 'tasks-mongo'],
  notifications: ['nats', 'notifications-mongo', 'redis'],
};

/** The workloads of the base, which every overlay deploys. */
export const BASE_WORKLOADS = [
  'Deployment/auth',
  'Deployment/client',
  'Deployment/notifications',
  'Deployment/tasks',
  'Deployment/teams',
  'Deployment/tickets',
  'StatefulSet/auth-mongo',
  'StatefulSet/nats',
  'StatefulSet/notifications-mongo',
  'StatefulSet/redis',
  'StatefulSet/s3',
  'StatefulSet/tasks-mongo',
  'StatefulSet/teams-postgres',
  'StatefulSet/tickets-mongo',
];

export const INGRESS_HOST = 'taskforge.test';
