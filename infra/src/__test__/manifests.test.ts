import {
  configRefProblems,
  connectionUrlProblems,
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
  configMapsIn,
  idOf,
  ingressesIn,
  isApplicationService,
  nameOf,
  podSpecOf,
  resolvedEnv,
  workloadsIn,
} from '../kube';
import { renderKustomization } from '../kustomize';
import { K8S_BASE, K8S_DEV } from '../repo';
import { printedSecrets } from '../secrets';

/** What each service's src/config.ts requires without a default (common's base + its own). */
const REQUIRED_ENV: Record<string, string[]> = {
  auth: ['NATS_URL', 'REDIS_URL', 'JWT_PUBLIC_KEY', 'MONGO_URL', 'JWT_PRIVATE_KEY'],
  tickets: ['NATS_URL', 'REDIS_URL', 'JWT_PUBLIC_KEY', 'MONGO_URL'],
};

const external = printedSecrets();

describe.each([
  { target: 'base', dir: K8S_BASE, readOnlyRoot: true },
  // skaffold's file sync writes changed sources into the container, so dev relaxes this.
  { target: 'overlays/dev', dir: K8S_DEV, readOnlyRoot: false },
])('$target', ({ dir, readOnlyRoot }) => {
  const objects = renderKustomization(dir);
  const workloads = workloadsIn(objects);
  const services = workloads.filter(isApplicationService);

  it('renders the application services and their stores', () => {
    expect(workloads.map(idOf).sort()).toEqual([
      'Deployment/auth',
      'Deployment/redis',
      'Deployment/tickets',
      'StatefulSet/auth-mongo',
      'StatefulSet/nats',
      'StatefulSet/tickets-mongo',
    ]);
    expect(services.map(nameOf).sort()).toEqual(Object.keys(REQUIRED_ENV).sort());
  });

  it('validates every object against its Kubernetes schema', () => {
    expect(schemaProblems(objects)).toEqual([]);
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

  it('has every ConfigMap and Secret key a pod reads exist', () => {
    expect(configRefProblems(objects, external)).toEqual([]);
  });

  it('lets only auth read the JWT private key', () => {
    expect(readersOfSecret(objects, 'jwt-private-key')).toEqual(['auth']);
  });

  it('gives every application service the JWT public key', () => {
    expect(readersOfSecret(objects, 'jwt-public-key')).toEqual(services.map(nameOf).sort());
  });

  it('gives every service the variables its config requires', () => {
    for (const workload of services) {
      const container = podSpecOf(workload)?.containers[0];
      const names = container ? envNamesOf(container, objects) : new Set<string>();
      const missing = (REQUIRED_ENV[nameOf(workload)] ?? []).filter((name) => !names.has(name));
      expect({ service: nameOf(workload), missing }).toEqual({
        service: nameOf(workload),
        missing: [],
      });
    }
  });

  it("points each service's MONGO_URL at its own database", () => {
    for (const workload of services) {
      const container = podSpecOf(workload)?.containers[0];
      const url = container && resolvedEnv(container, configMapsIn(objects)).get('MONGO_URL');
      expect(url && new URL(url).hostname).toBe(`${nameOf(workload)}-mongo`);
    }
  });

  it('points every connection URL at an existing Service and port', () => {
    expect(connectionUrlProblems(objects)).toEqual([]);
  });

  it('probes /readyz and /healthz on the service port, and probes every store', () => {
    expect(probeProblems(objects)).toEqual([]);
  });

  it('sets requests and limits on every container', () => {
    expect(resourceProblems(objects)).toEqual([]);
  });

  it('runs every container as non-root, without privilege escalation or capabilities', () => {
    expect(securityProblems(objects)).toEqual([]);
  });

  it(`runs services as the node user with a 30 s grace period (read-only root: ${readOnlyRoot})`, () => {
    expect(serviceRuntimeProblems(objects, readOnlyRoot)).toEqual([]);
  });

  it('pins every store image and leaves ours to skaffold', () => {
    expect(imageProblems(objects)).toEqual([]);
  });

  it('backs every StatefulSet with a headless Service and mounted volume claims', () => {
    expect(statefulSetProblems(objects)).toEqual([]);
  });

  it('runs NATS with JetStream storing on its volume, client 4222 and monitoring 8222', () => {
    const nats = workloads.find((w) => nameOf(w) === 'nats');
    const container = nats && podSpecOf(nats)?.containers[0];
    const args = (container?.args ?? []).join(' ');
    expect(args).toContain('-js');
    expect(args).toContain('-sd /data');
    expect(container?.volumeMounts?.find((m) => m.mountPath === '/data')?.name).toBe('data');
    expect(container?.ports?.map((p) => p.containerPort).sort()).toEqual([4222, 8222]);
  });

  it('routes taskforge.test through nginx: /api/users to auth, /api/tickets to tickets', () => {
    const ingresses = ingressesIn(objects);
    expect(ingresses).toHaveLength(1);
    const spec = ingresses[0]?.spec;
    expect(spec?.ingressClassName).toBe('nginx');
    const routes = (spec?.rules ?? []).flatMap((rule) =>
      (rule.http?.paths ?? []).map((path) => [
        rule.host,
        path.path,
        path.pathType,
        path.backend.service?.name,
        path.backend.service?.port?.number,
      ]),
    );
    expect(routes).toEqual([
      ['taskforge.test', '/api/users', 'Prefix', 'auth', 3000],
      ['taskforge.test', '/api/tickets', 'Prefix', 'tickets', 3000],
    ]);
  });
});

describe('overlays/dev', () => {
  const base = renderKustomization(K8S_BASE);
  const dev = renderKustomization(K8S_DEV);

  it('deploys the same objects as the base', () => {
    expect(dev.map(idOf).sort()).toEqual(base.map(idOf).sort());
  });

  it('runs one replica of everything', () => {
    const replicas = workloadsIn(dev).map((w) => [nameOf(w), w.spec?.replicas ?? 1]);
    expect(replicas.filter(([, count]) => count !== 1)).toEqual([]);
  });
});
