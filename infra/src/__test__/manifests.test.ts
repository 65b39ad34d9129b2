import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { IStatefulSet } from 'kubernetes-models/apps/v1/StatefulSet';
import {
  autoscalerProblems,
  configRefProblems,
  disruptionBudgetProblems,
  duplicateProblems,
  envNamesOf,
  imageProblems,
  ingressBackendProblems,
  probeProblems,
  readersOfSecret,
  resourceProblems,
  schemaProblems,
  securityProblems,
  serviceRuntimeProblems,
  servicePortProblems,
  serviceSelectorProblems,
  statefulSetProblems,
  workloadSelectorProblems,
} from '../checks';
import {
  connectionUrlProblems,
  endpointsOf,
  INGRESS_CONTROLLER,
  publicUrlProblems,
  servicesReachedBy,
} from '../connections';
import {
  configMapsIn,
  idOf,
  ingressesIn,
  isApplicationService,
  isWebClient,
  nameOf,
  podSpecOf,
  resolvedEnv,
  secretsIn,
  servicesIn,
  workloadsIn,
  type KubeObject,
} from '../kube';
import { renderKustomization } from '../kustomize';
import { parseQuantity } from '../quantity';
import { K8S_BASE, K8S_DEV, K8S_PROD, REPO_ROOT } from '../repo';
import { printedSecrets } from '../secrets';
import {
  BASE_WORKLOADS,
  CLIENT,
  CLIENT_ENV,
  COMMON_ENV,
  INGRESS_HOST,
  MONGO_INSTANCES,
  REACHES,
  SERVICE_ENV,
  SERVICES,
  TRACING_ENV,
} from './suite';

const external = printedSecrets();

function workload(objects: KubeObject[], name: string) {
  const found = workloadsIn(objects).find((w) => nameOf(w) === name);
  if (!found) throw new Error(`no workload ${name}`);
  return found;
}

function mainContainer(objects: KubeObject[], name: string) {
  const found = podSpecOf(workload(objects, name))?.containers[0];
  if (!found) throw new Error(`no container in ${name}`);
  return found;
}

/** A container's environment as it runs, Secrets from create-secrets.sh included. */
function envOf(objects: KubeObject[], name: string): Map<string, string> {
  return resolvedEnv(mainContainer(objects, name), configMapsIn(objects), secretsIn(external));
}

/** nginx sizes: 26m, 512k, 1g. */
function nginxBytes(size: string | undefined): number {
  const match = /^(\d+)([kmg]?)$/i.exec(size ?? '');
  if (!match) return Number.NaN;
  const unit = { '': 1, k: 2 ** 10, m: 2 ** 20, g: 2 ** 30 }[(match[2] ?? '').toLowerCase()] ?? 1;
  return Number(match[1]) * unit;
}

describe.each([
  { target: 'base', dir: K8S_BASE, readOnlyRoot: true, tracing: false },
  // skaffold's file sync writes changed sources into the container, so dev relaxes this; and
  // dev sends every service's traces to Jaeger (components/tracing).
  { target: 'overlays/dev', dir: K8S_DEV, readOnlyRoot: false, tracing: true },
  { target: 'overlays/prod', dir: K8S_PROD, readOnlyRoot: true, tracing: false },
])('$target', ({ dir, readOnlyRoot, tracing }) => {
  const objects = renderKustomization(dir);
  const workloads = workloadsIn(objects);
  const services = workloads.filter(isApplicationService);

  it('renders the application services and their stores', () => {
    expect(workloads.map(idOf)).toEqual(expect.arrayContaining(BASE_WORKLOADS));
    expect(services.map(nameOf).sort()).toEqual([...SERVICES].sort());
  });

  it('validates every object against its Kubernetes schema', () => {
    expect(schemaProblems(objects)).toEqual([]);
  });

  it('labels every object as part of taskforge', () => {
    const unlabelled = objects.filter(
      (o) => o.metadata?.labels?.['app.kubernetes.io/part-of'] !== 'taskforge',
    );
    expect(unlabelled.map(idOf)).toEqual([]);
  });

  it('defines each object once', () => {
    expect(duplicateProblems(objects)).toEqual([]);
  });

  it('gives every workload a selector that matches its own pods', () => {
    expect(workloadSelectorProblems(objects)).toEqual([]);
  });

  it('has every Service select the pods of exactly one workload', () => {
    expect(serviceSelectorProblems(objects)).toEqual([]);
  });

  it('has every Service target a port its pods expose', () => {
    expect(servicePortProblems(objects)).toEqual([]);
  });

  it('has every Ingress backend name an existing Service and port', () => {
    expect(ingressBackendProblems(objects)).toEqual([]);
  });

  it('has every ConfigMap and Secret key a pod reads exist or come from create-secrets.sh', () => {
    expect(configRefProblems(objects, external)).toEqual([]);
  });

  it('lets only auth read the JWT private key', () => {
    expect(readersOfSecret(objects, 'jwt-private-key')).toEqual(['auth']);
  });

  it('gives every application service the JWT public key', () => {
    expect(readersOfSecret(objects, 'jwt-public-key')).toEqual(services.map(nameOf).sort());
  });

  it('keeps each store credential to the store and its one service', () => {
    expect(readersOfSecret(objects, 'teams-postgres')).toEqual(['teams', 'teams-postgres']);
    expect(readersOfSecret(objects, 's3-credentials')).toEqual(['s3', 'tasks']);
  });

  it.each(SERVICES)('gives %s exactly the variables of its contract', (service) => {
    const names = [...envNamesOf(mainContainer(objects, service), objects)].sort();
    expect(names).toEqual(
      [...COMMON_ENV, ...(tracing ? TRACING_ENV : []), ...(SERVICE_ENV[service] ?? [])].sort(),
    );
  });

  it.each(SERVICES)(
    'points the connection URLs of %s at its own stores only (and the trace collector)',
    (service) => {
      expect(servicesReachedBy(mainContainer(objects, service), objects, external)).toEqual(
        [...(REACHES[service] ?? []), ...(tracing ? ['jaeger'] : [])].sort(),
      );
    },
  );

  it('points every connection URL at an existing Service, pod and port', () => {
    expect(connectionUrlProblems(objects, external)).toEqual([]);
  });

  it('points PUBLIC_URL and S3_PUBLIC_ENDPOINT at the ingress host', () => {
    expect(publicUrlProblems(objects)).toEqual([]);
    expect(envOf(objects, 'tasks').get('S3_PUBLIC_ENDPOINT')).toBe(`http://${INGRESS_HOST}`);
  });

  it('probes /readyz and /healthz on the service port, and probes every store', () => {
    expect(probeProblems(objects)).toEqual([]);
  });

  it('gives the client only the API address: the ingress controller, with the ingress host', () => {
    const client = mainContainer(objects, CLIENT);
    expect([...envNamesOf(client, objects)].sort()).toEqual([...CLIENT_ENV].sort());
    expect(servicesReachedBy(client, objects, external)).toEqual([INGRESS_CONTROLLER.name]);
    const env = envOf(objects, CLIENT);
    const hosts = ingressesIn(objects).flatMap((i) => (i.spec?.rules ?? []).map((r) => r.host));
    expect(hosts).toContain(env.get('API_HOST'));
    expect(env.get('API_HOST')).toBe(INGRESS_HOST);
  });

  it('probes the client on a route it serves', () => {
    const client = mainContainer(objects, CLIENT);
    for (const probe of [client.readinessProbe, client.livenessProbe]) {
      expect(probe?.httpGet?.path).toBe('/healthz');
      expect(probe?.httpGet?.port).toBe('http');
    }
    expect(existsSync(join(REPO_ROOT, 'client', 'src', 'app', 'healthz', 'route.ts'))).toBe(true);
  });

  it('sets requests and limits on every container', () => {
    expect(resourceProblems(objects)).toEqual([]);
  });

  it('runs every container as non-root, without privilege escalation or capabilities', () => {
    expect(securityProblems(objects)).toEqual([]);
  });

  it(`runs services as the node user with a grace period for shutdown (read-only root: ${readOnlyRoot})`, () => {
    expect(serviceRuntimeProblems(objects, readOnlyRoot)).toEqual([]);
  });

  it('keeps the root file system of every store read-only', () => {
    const writable = workloads
      .filter((w) => !isApplicationService(w) && !isWebClient(w))
      .filter((w) =>
        podSpecOf(w)?.containers.some((c) => !c.securityContext?.readOnlyRootFilesystem),
      )
      .map(idOf);
    expect(writable).toEqual([]);
  });

  it('pins every store image and leaves ours to skaffold', () => {
    expect(imageProblems(objects)).toEqual([]);
  });

  it('backs every StatefulSet with a headless Service and mounted volume claims', () => {
    expect(statefulSetProblems(objects)).toEqual([]);
  });

  it('aims every autoscaler and disruption budget at one workload it can act on', () => {
    expect(autoscalerProblems(objects)).toEqual([]);
    expect(disruptionBudgetProblems(objects)).toEqual([]);
  });

  it('runs NATS with JetStream storing on its volume, client 4222 and monitoring 8222', () => {
    const container = mainContainer(objects, 'nats');
    const args = (container.args ?? []).join(' ');
    expect(args).toContain('-js');
    expect(args).toContain('-sd /data');
    expect(container.volumeMounts?.find((m) => m.mountPath === '/data')?.name).toBe('data');
    expect(container.ports?.map((p) => p.containerPort)).toEqual(
      expect.arrayContaining([4222, 8222]),
    );
  });

  it("keeps Redis's append-only file (fsync every second) on its claimed volume, and never evicts", () => {
    const redis = workload(objects, 'redis') as IStatefulSet;
    const container = mainContainer(objects, 'redis');
    const args = container.args ?? [];
    const option = (name: string) => {
      const at = args.indexOf(`--${name}`);
      return at === -1 ? undefined : args[at + 1];
    };
    expect(redis.kind).toBe('StatefulSet');
    expect(option('appendonly')).toBe('yes');
    expect(option('appendfsync')).toBe('everysec');
    expect(option('maxmemory-policy')).toBe('noeviction');
    const claim = redis.spec?.volumeClaimTemplates?.find((c) => c.metadata?.name === 'data');
    expect(claim?.spec?.resources?.requests?.storage).toBeDefined();
    const data = container.volumeMounts?.find((m) => m.name === 'data');
    expect(data?.mountPath).toBe(option('dir'));
    expect(podSpecOf(redis)?.volumes?.some((v) => v.name === 'data')).toBe(false);
    // Below the container's memory limit, so Redis refuses writes before the kernel kills it.
    const maxmemory = parseQuantity((option('maxmemory') ?? 'NaN').replace(/mb$/i, 'Mi'));
    expect(maxmemory).toBeLessThan(parseQuantity(container.resources?.limits?.memory ?? '0'));
    expect(podSpecOf(redis)?.securityContext).toMatchObject({ runAsNonRoot: true, fsGroup: 999 });
    for (const probe of [container.readinessProbe, container.startupProbe]) {
      expect(probe?.exec?.command?.join(' ')).toContain('redis-cli ping');
    }
  });

  it('replicates the event stream on as many NATS servers as there are', () => {
    const replicas = workload(objects, 'nats').spec?.replicas ?? 1;
    const config = configMapsIn(objects).find((c) => nameOf(c) === 'taskforge-config');
    expect(config?.data?.NATS_STREAM_REPLICAS).toBe(String(replicas));
  });

  it('instantiates one MongoDB definition per service, named and labelled for it', () => {
    const mongos = workloads.filter((w) => MONGO_INSTANCES.includes(nameOf(w)));
    expect(mongos.map(nameOf).sort()).toEqual([...MONGO_INSTANCES].sort());
    const generic = (name: string) => JSON.stringify(workload(objects, name)).replaceAll(name, '*');
    for (const mongo of mongos) {
      const name = nameOf(mongo);
      const selector = { 'app.kubernetes.io/name': 'mongo', 'app.kubernetes.io/instance': name };
      expect(mongo.kind).toBe('StatefulSet');
      expect((mongo as IStatefulSet).spec?.serviceName).toBe(name);
      expect(mongo.spec?.selector.matchLabels).toEqual(selector);
      expect(mongo.spec?.template.metadata?.labels).toMatchObject(selector);
      expect(servicesIn(objects).find((s) => nameOf(s) === name)?.spec?.selector).toEqual(selector);
      expect(generic(name)).toBe(generic('auth-mongo'));
    }
  });

  it("runs teams' PostgreSQL non-root on a read-only root, its data in a subfolder of the volume", () => {
    const postgres = mainContainer(objects, 'teams-postgres');
    const env = envOf(objects, 'teams-postgres');
    const data = postgres.volumeMounts?.find((m) => m.name === 'data')?.mountPath ?? '';
    expect(env.get('PGDATA')).toMatch(new RegExp(`^${data}/[^/]+$`));
    const pod = podSpecOf(workload(objects, 'teams-postgres'));
    expect(pod?.securityContext?.runAsUser).toBe(999);
    for (const path of ['/var/run/postgresql', '/tmp']) {
      const mount = postgres.volumeMounts?.find((m) => m.mountPath === path);
      expect(pod?.volumes?.find((v) => v.name === mount?.name)?.emptyDir).toBeDefined();
    }
    for (const probe of [postgres.readinessProbe, postgres.livenessProbe, postgres.startupProbe]) {
      expect(probe?.exec?.command?.[0]).toBe('pg_isready');
    }
  });

  it('gives teams a DATABASE_URL for the database, user and password teams-postgres creates', () => {
    const store = envOf(objects, 'teams-postgres');
    const url = new URL(envOf(objects, 'teams').get('DATABASE_URL') ?? '');
    expect(url.protocol).toBe('postgres:');
    expect(url.hostname).toBe('teams-postgres');
    expect(url.username).toBe(store.get('POSTGRES_USER'));
    expect(url.password).toBe(store.get('POSTGRES_PASSWORD'));
    expect(url.pathname).toBe(`/${store.get('POSTGRES_DB')}`);
  });

  it('runs the S3 server with the credentials tasks signs with, its health path probed, on 7070', () => {
    const s3 = envOf(objects, 's3');
    const tasks = envOf(objects, 'tasks');
    expect(s3.get('ROOT_ACCESS_KEY_ID')).toBe(tasks.get('S3_ACCESS_KEY'));
    expect(s3.get('ROOT_SECRET_ACCESS_KEY')).toBe(tasks.get('S3_SECRET_KEY'));
    const container = mainContainer(objects, 's3');
    expect(container.ports?.map((p) => p.containerPort)).toEqual([7070]);
    const args = container.args ?? [];
    expect(args.slice(args.indexOf('--port'), args.indexOf('--port') + 2)).toEqual([
      '--port',
      ':7070',
    ]);
    const health = args[args.indexOf('--health') + 1];
    expect(container.readinessProbe?.httpGet?.path).toBe(health);
    expect(container.livenessProbe?.httpGet?.path).toBe(health);
    expect(args.slice(-2)).toEqual(['posix', '/data']);
    expect(container.volumeMounts?.find((m) => m.name === 'data')?.mountPath).toBe('/data');
  });

  it('routes taskforge.test through nginx: each API prefix to its service, the bucket to the S3 server, the rest to the client', () => {
    const routes = ingressesIn(objects)
      .filter((ingress) => ingress.spec?.rules?.some((rule) => rule.host === INGRESS_HOST))
      .flatMap((ingress) => {
        expect(ingress.spec?.ingressClassName).toBe('nginx');
        return (ingress.spec?.rules ?? []).flatMap((rule) =>
          (rule.http?.paths ?? []).map((path) => [
            nameOf(ingress),
            rule.host,
            path.path,
            path.pathType,
            path.backend.service?.name,
            path.backend.service?.port?.number,
          ]),
        );
      });
    expect(routes).toEqual([
      ['taskforge', INGRESS_HOST, '/', 'Prefix', 'client', 3000],
      ['taskforge', INGRESS_HOST, '/api/users', 'Prefix', 'auth', 3000],
      ['taskforge', INGRESS_HOST, '/api/tickets', 'Prefix', 'tickets', 3000],
      ['taskforge', INGRESS_HOST, '/api/teams', 'Prefix', 'teams', 3000],
      ['taskforge', INGRESS_HOST, '/api/tasks', 'Prefix', 'tasks', 3000],
      ['taskforge-attachments', INGRESS_HOST, '/taskforge-attachments', 'Prefix', 's3', 7070],
      [
        'taskforge-notifications',
        INGRESS_HOST,
        '/api/notifications',
        'Prefix',
        'notifications',
        3000,
      ],
    ]);
  });

  it('streams notifications (Server-Sent Events) unbuffered and keeps them open', () => {
    const ingress = ingressesIn(objects).find((i) => nameOf(i) === 'taskforge-notifications');
    const annotations = ingress?.metadata?.annotations ?? {};
    expect(annotations['nginx.ingress.kubernetes.io/proxy-buffering']).toBe('off');
    for (const timeout of ['proxy-read-timeout', 'proxy-send-timeout']) {
      expect(Number(annotations[`nginx.ingress.kubernetes.io/${timeout}`])).toBeGreaterThanOrEqual(
        3600,
      );
    }
  });

  it('routes the bucket tasks signs URLs for to the S3 endpoint, with room for 25 MiB uploads', () => {
    const tasks = envOf(objects, 'tasks');
    const ingress = ingressesIn(objects).find((i) => nameOf(i) === 'taskforge-attachments');
    const path = ingress?.spec?.rules?.[0]?.http?.paths[0];
    const [endpoint] = endpointsOf(tasks.get('S3_ENDPOINT') ?? '') ?? [];
    expect(tasks.get('S3_FORCE_PATH_STYLE')).toBe('true');
    expect(path?.path).toBe(`/${tasks.get('S3_BUCKET')}`);
    expect(path?.backend.service?.name).toBe(endpoint?.host);
    expect(path?.backend.service?.port?.number).toBe(endpoint?.port);
    const annotations = ingress?.metadata?.annotations ?? {};
    const bodySize = nginxBytes(annotations['nginx.ingress.kubernetes.io/proxy-body-size']);
    expect(bodySize).toBeGreaterThanOrEqual(26 * 2 ** 20);
    expect(annotations['nginx.ingress.kubernetes.io/proxy-request-buffering']).toBe('off');
  });
});

describe('base', () => {
  const base = renderKustomization(K8S_BASE);

  it('deploys the base workloads and nothing else', () => {
    expect(workloadsIn(base).map(idOf).sort()).toEqual(BASE_WORKLOADS);
  });

  it('runs one NATS server and one member of each MongoDB', () => {
    for (const name of ['nats', ...MONGO_INSTANCES]) {
      expect(workload(base, name).spec?.replicas).toBe(1);
    }
  });
});

describe('overlays/dev', () => {
  const base = renderKustomization(K8S_BASE);
  const dev = renderKustomization(K8S_DEV);

  it('deploys the objects of the base, Mailpit and Jaeger', () => {
    const mailpit = ['Deployment/mailpit', 'Ingress/mailpit', 'Service/mailpit'];
    const jaeger = ['Deployment/jaeger', 'Ingress/jaeger', 'Service/jaeger'];
    expect(dev.map(idOf).sort()).toEqual([...base.map(idOf), ...mailpit, ...jaeger].sort());
  });

  it('runs one replica of everything', () => {
    const replicas = workloadsIn(dev).map((w) => [nameOf(w), w.spec?.replicas ?? 1]);
    expect(replicas.filter(([, count]) => count !== 1)).toEqual([]);
  });

  it('requests less of every service and store than the base', () => {
    const requested = (objects: KubeObject[], name: string, resource: string) =>
      parseQuantity(mainContainer(objects, name).resources?.requests?.[resource] ?? 'NaN');
    const larger = workloadsIn(base)
      .map(nameOf)
      .filter((name) => name !== 'nats' && name !== 'redis')
      .filter((name) => requested(dev, name, 'cpu') >= requested(base, name, 'cpu'));
    expect(larger).toEqual([]);
  });

  it("sends notifications' mail to Mailpit's SMTP port, and serves its UI on mail.taskforge.test", () => {
    const env = envOf(dev, 'notifications');
    const mailpit = servicesIn(dev).find((s) => nameOf(s) === env.get('SMTP_HOST'));
    expect(mailpit?.spec?.ports?.find((p) => p.port === Number(env.get('SMTP_PORT')))?.name).toBe(
      'smtp',
    );
    const ui = ingressesIn(dev).find((i) => nameOf(i) === 'mailpit')?.spec?.rules?.[0];
    expect(ui?.host).toBe('mail.taskforge.test');
    expect(ui?.http?.paths[0]?.backend.service).toEqual({
      name: 'mailpit',
      port: { number: 8025 },
    });
  });

  it("sends every service's traces to Jaeger's OTLP/HTTP port, and serves its UI on jaeger.taskforge.test", () => {
    const jaeger = servicesIn(dev).find((s) => nameOf(s) === 'jaeger');
    const portName = (port: number) => jaeger?.spec?.ports?.find((p) => p.port === port)?.name;
    const endpoints = SERVICES.map((service) => {
      const endpoint = new URL(envOf(dev, service).get('OTEL_EXPORTER_OTLP_ENDPOINT') ?? '');
      return [service, endpoint.hostname, portName(Number(endpoint.port))];
    });
    expect(endpoints).toEqual(SERVICES.map((service) => [service, 'jaeger', 'otlp-http']));
    expect(envOf(dev, CLIENT).has('OTEL_EXPORTER_OTLP_ENDPOINT')).toBe(false);

    const ui = ingressesIn(dev).find((i) => nameOf(i) === 'jaeger')?.spec?.rules?.[0];
    expect(ui?.host).toBe('jaeger.taskforge.test');
    const backend = ui?.http?.paths[0]?.backend.service;
    expect([backend?.name, portName(backend?.port?.number ?? 0)]).toEqual(['jaeger', 'ui']);
    // In memory, one pod: the traces of a dev session, gone with it.
    const container = mainContainer(dev, 'jaeger');
    expect(workload(dev, 'jaeger').spec?.replicas).toBe(1);
    expect(container.env).toContainEqual({ name: 'SPAN_STORAGE_TYPE', value: 'memory' });
  });
});

describe.each([
  { target: 'base', dir: K8S_BASE },
  { target: 'overlays/prod', dir: K8S_PROD },
])('$target without tracing', ({ dir }) => {
  const objects = renderKustomization(dir);

  it('runs no Jaeger and gives no service a trace endpoint', () => {
    expect(objects.map(idOf).filter((id) => id.endsWith('/jaeger'))).toEqual([]);
    const tracing = [...SERVICES, CLIENT].filter((name) =>
      envNamesOf(mainContainer(objects, name), objects).has('OTEL_EXPORTER_OTLP_ENDPOINT'),
    );
    expect(tracing).toEqual([]);
  });
});
