import {
  APPS,
  CLIENT as TOPOLOGY_CLIENT,
  SERVICES as TOPOLOGY_SERVICES,
  SHARED_SERVICE_ENV,
} from '@taskforge/topology';

/**
 * What the manifests must give the suite, for the tests: each service's environment and the
 * stores it may reach, as @taskforge/topology names them, and the workloads of the base.
 */

/** What only the local stack sets (Zipkin's settings): no manifest does. */
const LOCAL_ONLY_ENV: string[] = SHARED_SERVICE_ENV.flatMap((variable) =>
  'localOnly' in variable ? [variable.name] : [],
);

/** Every service: common's base config and the settings the suite gives all of them. */
export const COMMON_ENV: string[] = SHARED_SERVICE_ENV.flatMap((variable) =>
  'optional' in variable || 'localOnly' in variable ? [] : [variable.name],
);

/** What the dev overlay's tracing component adds to every service: tracing, on. */
export const TRACING_ENV: string[] = SHARED_SERVICE_ENV.flatMap((variable) =>
  'optional' in variable ? [variable.name] : [],
);

/**
 * Each service's own variables: what its src/config.ts requires, and what the suite sets where
 * a default would be wrong (tasks' S3_PUBLIC_ENDPOINT must be the ingress, not the S3 server).
 */
export const SERVICE_ENV: Record<string, string[]> = Object.fromEntries(
  TOPOLOGY_SERVICES.map((service) => [
    service.name,
    service.env
      .map((variable) => variable.name)
      .filter(
        (name) =>
          !COMMON_ENV.includes(name) &&
          !TRACING_ENV.includes(name) &&
          !LOCAL_ONLY_ENV.includes(name),
      ),
  ]),
);

export const SERVICES: string[] = TOPOLOGY_SERVICES.map((service) => service.name);

/** The web client: a Deployment of our own image that only calls the APIs through the ingress. */
export const CLIENT: string = TOPOLOGY_CLIENT.name;
export const CLIENT_ENV: string[] = TOPOLOGY_CLIENT.env.map((variable) => variable.name);

/** Every image of ours, built by skaffold: the services and the client. */
export const IMAGES: string[] = APPS.map((app) => app.name);

/** The services' MongoDBs: one instance of infra/k8s/base/mongo each. */
export const MONGO_INSTANCES: string[] = TOPOLOGY_SERVICES.flatMap((service) =>
  service.stores.flatMap((store) => (store.kind === 'mongo' ? [store.host] : [])),
);

/** The Services each service's connection URLs lead to: its own stores, NATS and Redis. */
export const REACHES: Record<string, string[]> = Object.fromEntries(
  TOPOLOGY_SERVICES.map((service) => [
    service.name,
    service.stores.flatMap((store) => ('host' in store ? [store.host] : [])).sort(),
  ]),
);

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
