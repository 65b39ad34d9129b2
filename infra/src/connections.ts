import type { IStatefulSet } from 'kubernetes-models/apps/v1/StatefulSet';
import type { IContainer } from 'kubernetes-models/v1/Container';
import type { IService } from 'kubernetes-models/v1/Service';
import {
  configMapsIn,
  containersOf,
  idOf,
  ingressesIn,
  nameOf,
  podOwnersIn,
  resolvedEnv,
  secretsIn,
  servicesIn,
  workloadsIn,
  type KubeObject,
} from './kube';

export interface Endpoint {
  host: string;
  port: number;
}

const DEFAULT_PORTS: Record<string, number> = {
  'mongodb:': 27017,
  'nats:': 4222,
  'redis:': 6379,
  'postgres:': 5432,
  'postgresql:': 5432,
  'http:': 80,
};

/**
 * The ingress controller's Service, which minikube's addon and the ingress-nginx chart install
 * outside these manifests: the client calls the APIs through it, as browsers do.
 */
export const INGRESS_CONTROLLER = {
  name: 'ingress-nginx-controller',
  host: 'ingress-nginx-controller.ingress-nginx.svc.cluster.local',
  port: 80,
};

/** Variables whose URL is the browser's way in (the ingress), not a Service in the cluster. */
export const PUBLIC_URL_VARIABLES = ['PUBLIC_URL', 'S3_PUBLIC_ENDPOINT'];

/**
 * The hosts and ports a connection URL names, several for a MongoDB replica set
 * (`mongodb://a:27017,b:27017/db`, which `new URL` refuses); undefined when the value is not a
 * URL of a scheme listed above.
 */
export function endpointsOf(value: string): Endpoint[] | undefined {
  const [, scheme = '', authority = ''] = /^([a-z][a-z0-9+.-]*:)\/\/([^/?#]*)/i.exec(value) ?? [];
  const defaultPort = DEFAULT_PORTS[scheme.toLowerCase()];
  if (defaultPort === undefined) return undefined;
  const hosts = authority.slice(authority.lastIndexOf('@') + 1);
  return hosts.split(',').map((hostPort) => {
    const [, host = '', port] = /^(.*?)(?::(\d+))?$/.exec(hostPort) ?? [];
    return { host: host.toLowerCase(), port: port ? Number(port) : defaultPort };
  });
}

/** A StatefulSet's pods: name-0, name-1, ... */
export function podNamesOf(statefulSet: IStatefulSet): string[] {
  const count = statefulSet.spec?.replicas ?? 1;
  return Array.from({ length: count }, (_, i) => `${nameOf(statefulSet)}-${i}`);
}

/**
 * The Service a host names: `name`, or `pod.name` for one pod of a StatefulSet behind its
 * headless Service (the members of a replica set or a cluster).
 */
function serviceOfHost(host: string, objects: KubeObject[]): IService | string {
  const [first = '', second, ...rest] = host.split('.');
  const serviceName = second ?? first;
  const service = servicesIn(objects).find((s) => nameOf(s) === serviceName);
  if (!service || rest.length > 0) return `no Service ${host}`;
  if (second === undefined) return service;
  const pod = workloadsIn(objects).find(
    (w) =>
      w.kind === 'StatefulSet' &&
      w.spec?.serviceName === serviceName &&
      podNamesOf(w as IStatefulSet).includes(first),
  );
  if (!pod) return `no StatefulSet pod ${first} behind Service ${serviceName}`;
  if (service.spec?.clusterIP !== 'None') return `Service ${serviceName} is not headless`;
  return service;
}

/** Connection URLs by variable name, as a container sees them (PUBLIC_URL and the like left out). */
function connectionUrlsOf(
  container: IContainer,
  objects: KubeObject[],
  external: KubeObject[],
): Array<[string, Endpoint[]]> {
  return [...resolvedEnv(container, configMapsIn(objects), secretsIn(external))].flatMap(
    ([name, value]) => {
      const endpoints = PUBLIC_URL_VARIABLES.includes(name) ? undefined : endpointsOf(value);
      return endpoints ? [[name, endpoints] as [string, Endpoint[]]] : [];
    },
  );
}

/**
 * Connection URLs a pod is given (literal env, ConfigMap, or a Secret among `external`, those
 * create-secrets.sh makes) point at a Service of these manifests, or at a pod behind one, on a
 * port the Service exposes.
 */
export function connectionUrlProblems(
  objects: KubeObject[],
  external: KubeObject[] = [],
): string[] {
  return podOwnersIn(objects).flatMap((owner) =>
    containersOf(owner).flatMap((container) =>
      connectionUrlsOf(container, objects, external).flatMap(([name, endpoints]) =>
        endpoints.flatMap(({ host, port }) => {
          const where = `${idOf(owner)} ${name}`;
          if (host === INGRESS_CONTROLLER.host) {
            return port === INGRESS_CONTROLLER.port
              ? []
              : [`${where}: the ingress controller serves HTTP on ${INGRESS_CONTROLLER.port}`];
          }
          const service = serviceOfHost(host, objects);
          if (typeof service === 'string') return [`${where}: ${service}`];
          return service.spec?.ports?.some((p) => p.port === port)
            ? []
            : [`${where}: Service ${nameOf(service)} has no port ${port}`];
        }),
      ),
    ),
  );
}

/** The Services a container's connection URLs lead to, sorted. */
export function servicesReachedBy(
  container: IContainer,
  objects: KubeObject[],
  external: KubeObject[] = [],
): string[] {
  const names = connectionUrlsOf(container, objects, external).flatMap(([, endpoints]) =>
    endpoints.map(({ host }) =>
      host === INGRESS_CONTROLLER.host ? INGRESS_CONTROLLER.name : serviceOfHost(host, objects),
    ),
  );
  return [...new Set(names.map((s) => (typeof s === 'string' ? s : nameOf(s))))].sort();
}

/** PUBLIC_URL and S3_PUBLIC_ENDPOINT name a host the Ingresses serve. */
export function publicUrlProblems(objects: KubeObject[]): string[] {
  const hosts = new Set(
    ingressesIn(objects).flatMap((ingress) => (ingress.spec?.rules ?? []).map((r) => r.host)),
  );
  return podOwnersIn(objects).flatMap((owner) =>
    containersOf(owner).flatMap((container) =>
      [...resolvedEnv(container, configMapsIn(objects))]
        .filter(([name]) => PUBLIC_URL_VARIABLES.includes(name))
        .flatMap(([name, value]) => {
          const host = URL.canParse(value) ? new URL(value).hostname : undefined;
          return host && hosts.has(host)
            ? []
            : [`${idOf(owner)} ${name}: ${value} is not a host the Ingresses serve`];
        }),
    ),
  );
}
