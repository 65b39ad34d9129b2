import type { IDeployment } from 'kubernetes-models/apps/v1/Deployment';
import type { IContainer } from 'kubernetes-models/v1/Container';
import {
  autoscalerProblems,
  configRefProblems,
  disruptionBudgetProblems,
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
import { connectionUrlProblems, endpointsOf, publicUrlProblems } from '../connections';
import {
  autoscalersIn,
  configMapsIn,
  disruptionBudgetsIn,
  ingressesIn,
  nameOf,
  podSpecOf,
  servicesIn,
  workloadsIn,
  type KubeObject,
} from '../kube';
import { renderKustomization } from '../kustomize';
import { K8S_BASE, K8S_PROD } from '../repo';
import { printedSecrets } from '../secrets';

// Each check must catch the fault it exists for: break one thing in the real manifests and
// expect the check to name it.

const external = printedSecrets();

function manifests(): KubeObject[] {
  return renderKustomization(K8S_BASE);
}

function deployment(objects: KubeObject[], name: string): IDeployment {
  const found = workloadsIn(objects).find((w) => nameOf(w) === name);
  if (!found || found.kind !== 'Deployment') throw new Error(`no Deployment ${name}`);
  return found;
}

function container(objects: KubeObject[], name: string): IContainer {
  const owner = workloadsIn(objects).find((w) => nameOf(w) === name);
  const found = owner && podSpecOf(owner)?.containers[0];
  if (!found) throw new Error(`no container in ${name}`);
  return found;
}

describe('the checks catch', () => {
  it('an object that breaks its schema', () => {
    const objects = manifests();
    const ports = container(objects, 'auth').ports ?? [];
    (ports[0] as { containerPort: unknown }).containerPort = 'three thousand';
    expect(schemaProblems(objects)).toEqual([expect.stringContaining('Deployment/auth')]);
  });

  it('a kind with no known schema', () => {
    const objects = [...manifests(), { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'x' } }];
    expect(schemaProblems(objects)).toEqual([expect.stringContaining('no schema known')]);
  });

  it('a workload whose selector misses its pods', () => {
    const objects = manifests();
    const template = deployment(objects, 'auth').spec?.template;
    if (template?.metadata?.labels) template.metadata.labels['app.kubernetes.io/name'] = 'oops';
    expect(workloadSelectorProblems(objects)).toEqual([expect.stringContaining('Deployment/auth')]);
  });

  it('a Service that selects no pods, or two workloads', () => {
    const objects = manifests();
    const [first, second] = servicesIn(objects);
    if (!first?.spec || !second?.spec) throw new Error('expected Services');
    first.spec.selector = { 'app.kubernetes.io/name': 'nobody' };
    second.spec.selector = { 'app.kubernetes.io/part-of': 'taskforge' };
    expect(serviceSelectorProblems(objects)).toEqual([
      expect.stringContaining('0 workloads'),
      expect.stringContaining('14 workloads'),
    ]);
  });

  it('a Service aimed at a port its pods do not expose', () => {
    const objects = manifests();
    const auth = servicesIn(objects).find((s) => nameOf(s) === 'auth');
    const port = auth?.spec?.ports?.[0];
    if (port) port.targetPort = 'metrics';
    expect(servicePortProblems(objects)).toEqual([expect.stringContaining('Service/auth')]);
  });

  it('an Ingress backend with a missing Service or port', () => {
    const objects = manifests();
    const paths = ingressesIn(objects)[0]?.spec?.rules?.[0]?.http?.paths ?? [];
    const [first, second] = paths;
    if (first?.backend.service) first.backend.service.name = 'reports';
    if (second?.backend.service) second.backend.service.port = { number: 80 };
    expect(ingressBackendProblems(objects)).toEqual([
      expect.stringContaining('no Service reports'),
      expect.stringContaining('has no port 80'),
    ]);
  });

  it('a ConfigMap key or Secret that nothing creates', () => {
    const objects = manifests();
    const config = configMapsIn(objects)[0];
    if (config?.data) delete config.data.NATS_URL;
    expect(configRefProblems(objects, external)).toEqual(
      Array.from({ length: 5 }, () => expect.stringContaining('key NATS_URL')),
    );
    expect(configRefProblems(manifests(), [])).toContainEqual(
      'Deployment/auth: reads Secret jwt-private-key, which nothing creates',
    );
  });

  it('a Secret key that create-secrets.sh does not create', () => {
    const objects = manifests();
    const ref = container(objects, 'tickets').env?.find((e) => e.name === 'JWT_PUBLIC_KEY');
    if (ref?.valueFrom?.secretKeyRef) ref.valueFrom.secretKeyRef.key = 'PUBLIC_KEY';
    expect(configRefProblems(objects, external)).toEqual([
      expect.stringContaining('Deployment/tickets: reads Secret jwt-public-key key PUBLIC_KEY'),
    ]);
  });

  it('another service reading the private key, even through a volume', () => {
    const objects = manifests();
    const pod = deployment(objects, 'tickets').spec?.template.spec;
    pod?.volumes?.push({ name: 'keys', secret: { secretName: 'jwt-private-key' } });
    expect(readersOfSecret(objects, 'jwt-private-key')).toEqual(['auth', 'tickets']);
  });

  it('a connection URL to a Service, pod or port that does not exist', () => {
    const objects = manifests();
    const mongo = container(objects, 'tickets').env?.find((e) => e.name === 'MONGO_URL');
    if (mongo) mongo.value = 'mongodb://mongo:27017/tickets';
    const s3 = container(objects, 'tasks').env?.find((e) => e.name === 'S3_ENDPOINT');
    if (s3) s3.value = 'http://s3:9002';
    const config = configMapsIn(objects)[0];
    if (config?.data) config.data.REDIS_URL = 'redis://redis:6380';
    const problems = connectionUrlProblems(objects, external);
    expect(problems).toContainEqual(expect.stringContaining('MONGO_URL: no Service mongo'));
    expect(problems).toContainEqual(
      expect.stringContaining('REDIS_URL: Service redis has no port 6380'),
    );
    expect(problems).toContainEqual(
      expect.stringContaining('S3_ENDPOINT: Service s3 has no port 9002'),
    );
  });

  it("a replica set member that is not one of the StatefulSet's pods", () => {
    const objects = renderKustomization(K8S_PROD);
    const mongo = container(objects, 'auth').env?.find((e) => e.name === 'MONGO_URL');
    if (mongo) mongo.value = mongo.value?.replace('auth-mongo-2', 'auth-mongo-3');
    expect(connectionUrlProblems(objects, external)).toEqual([
      'Deployment/auth MONGO_URL: no StatefulSet pod auth-mongo-3 behind Service auth-mongo',
    ]);
  });

  it('a DATABASE_URL in a Secret that points elsewhere', () => {
    const secrets = printedSecrets() as Array<KubeObject & { data?: Record<string, string> }>;
    const database = secrets.find((secret) => nameOf(secret) === 'teams-postgres');
    if (database?.data) {
      database.data.DATABASE_URL = Buffer.from('postgresql://teams:x@postgres/teams').toString(
        'base64',
      );
    }
    expect(connectionUrlProblems(manifests(), secrets)).toEqual([
      'Deployment/teams DATABASE_URL: no Service postgres',
    ]);
  });

  it('a public URL that is not the ingress host', () => {
    const objects = manifests();
    const config = configMapsIn(objects)[0];
    if (config?.data) config.data.PUBLIC_URL = 'http://s3:7070';
    expect(publicUrlProblems(objects)).toHaveLength(6);
    expect(publicUrlProblems(objects)).toContainEqual(
      'Deployment/tasks S3_PUBLIC_ENDPOINT: http://s3:7070 is not a host the Ingresses serve',
    );
  });

  it('a wrong probe path, a probe on a missing port and a missing probe', () => {
    const objects = manifests();
    const auth = container(objects, 'auth');
    if (auth.readinessProbe?.httpGet) auth.readinessProbe.httpGet.path = '/healthz';
    if (auth.livenessProbe?.httpGet) auth.livenessProbe.httpGet.port = 8080;
    delete container(objects, 'redis').readinessProbe;
    const problems = probeProblems(objects);
    expect(problems).toContainEqual(expect.stringContaining('readiness probe must GET /readyz'));
    expect(problems).toContainEqual(expect.stringContaining('liveness probe port 8080'));
    expect(problems).toContainEqual(
      expect.stringContaining('StatefulSet/redis container redis: no readiness probe'),
    );
  });

  it('a missing limit and a request above its limit', () => {
    const objects = manifests();
    const resources = container(objects, 'auth').resources;
    if (resources?.limits) delete resources.limits.memory;
    if (resources?.requests) resources.requests.cpu = '2';
    expect(resourceProblems(objects)).toEqual([
      expect.stringContaining('cpu request 2 exceeds its limit'),
      expect.stringContaining('needs both a memory request and a memory limit'),
    ]);
  });

  it('root, privilege escalation and kept capabilities', () => {
    const objects = manifests();
    const pod = deployment(objects, 'tickets').spec?.template.spec;
    if (pod?.securityContext) pod.securityContext.runAsNonRoot = false;
    const security = container(objects, 'tickets').securityContext;
    if (security) {
      security.allowPrivilegeEscalation = true;
      security.capabilities = { drop: ['NET_RAW'] };
    }
    expect(securityProblems(objects)).toEqual([
      expect.stringContaining('runAsNonRoot'),
      expect.stringContaining('allowPrivilegeEscalation'),
      expect.stringContaining('drop ALL'),
    ]);
  });

  it('a service with another uid, a grace period too short, writable root or no /tmp', () => {
    const objects = manifests();
    const pod = deployment(objects, 'auth').spec?.template.spec;
    if (!pod?.securityContext) throw new Error('expected a pod security context');
    pod.securityContext.runAsUser = 1001;
    pod.terminationGracePeriodSeconds = 20;
    pod.volumes = [];
    expect(serviceRuntimeProblems(objects, true)).toEqual([
      expect.stringContaining(
        'terminationGracePeriodSeconds 20 does not cover preStop + shutdown (25 s)',
      ),
      expect.stringContaining('node user'),
      expect.stringContaining('/tmp'),
    ]);
    expect(serviceRuntimeProblems(manifests(), false)).toEqual(
      ['auth', 'client', 'notifications', 'tasks', 'teams', 'tickets'].map((name) =>
        expect.stringContaining(`Deployment/${name}: readOnlyRootFilesystem must be false`),
      ),
    );
  });

  it('an unpinned store image and a tagged image of ours', () => {
    const objects = manifests();
    container(objects, 'redis').image = 'redis:latest';
    container(objects, 'auth').image = 'taskforge/auth:v1';
    delete container(objects, 'tasks').imagePullPolicy;
    expect(imageProblems(objects)).toEqual([
      expect.stringContaining('untagged for skaffold'),
      expect.stringContaining(
        'tasks: taskforge/tasks is built in place: imagePullPolicy IfNotPresent',
      ),
      expect.stringContaining('pin redis'),
    ]);
  });

  it('a StatefulSet without its headless Service or with an unmounted claim', () => {
    const objects = manifests();
    const nats = servicesIn(objects).find((s) => nameOf(s) === 'nats');
    if (nats?.spec) delete nats.spec.clusterIP;
    const mongo = workloadsIn(objects).find((w) => nameOf(w) === 'auth-mongo');
    const mongoContainer = mongo?.spec?.template.spec?.containers[0];
    if (mongoContainer) mongoContainer.volumeMounts = [];
    expect(statefulSetProblems(objects)).toEqual([
      expect.stringContaining('StatefulSet/auth-mongo: claim data is never mounted'),
      expect.stringContaining('StatefulSet/nats: Service nats must be headless'),
    ]);
  });

  it('an autoscaler of a missing Deployment, or scaling on CPU nobody requests', () => {
    const objects = renderKustomization(K8S_PROD);
    const [first, second] = autoscalersIn(objects);
    if (first?.spec) first.spec.scaleTargetRef.name = 'reports';
    const target = second && container(objects, second.spec?.scaleTargetRef.name ?? '');
    if (target?.resources?.requests) delete target.resources.requests.cpu;
    expect(autoscalerProblems(objects)).toEqual([
      expect.stringContaining('no Deployment reports to scale'),
      expect.stringContaining('requests no CPU to scale on'),
    ]);
  });

  it('a disruption budget that covers nothing, or lets nothing be evicted', () => {
    const objects = renderKustomization(K8S_PROD);
    const [first, second] = disruptionBudgetsIn(objects);
    if (first?.spec) first.spec.selector = { matchLabels: { 'app.kubernetes.io/name': 'reports' } };
    if (second?.spec) second.spec.maxUnavailable = 0;
    expect(disruptionBudgetProblems(objects)).toEqual([
      expect.stringContaining('covers the pods of 0 workloads'),
      expect.stringContaining('lets no pod of'),
    ]);
  });
});

describe('endpointsOf', () => {
  it.each([
    [
      'mongodb://a-0.a:27017,a-1.a:27018/db?replicaSet=rs0',
      [
        ['a-0.a', 27017],
        ['a-1.a', 27018],
      ],
    ],
    ['postgres://user:p%40ss@teams-postgres/teams', [['teams-postgres', 5432]]],
    ['postgresql://teams-postgres:5433/teams', [['teams-postgres', 5433]]],
    ['http://s3:7070', [['s3', 7070]]],
    ['nats://nats', [['nats', 4222]]],
    ['redis://redis:6379/0', [['redis', 6379]]],
  ])('reads %s', (url, expected) => {
    expect(endpointsOf(url)?.map(({ host, port }) => [host, port])).toEqual(expected);
  });

  it('leaves alone what is not a connection URL', () => {
    expect(endpointsOf('smtp.example.com')).toBeUndefined();
    expect(endpointsOf('https://taskforge.test')).toBeUndefined();
  });
});
