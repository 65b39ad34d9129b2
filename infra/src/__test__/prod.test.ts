import type { IStatefulSet } from 'kubernetes-models/apps/v1/StatefulSet';
import { podNamesOf } from '../connections';
import {
  autoscalersIn,
  configMapsIn,
  disruptionBudgetsIn,
  idOf,
  jobsIn,
  matchesSelector,
  nameOf,
  networkPoliciesIn,
  podLabelsOf,
  podOwnersIn,
  podSpecOf,
  resolvedEnv,
  selects,
  servicesIn,
  workloadsIn,
  type KubeObject,
} from '../kube';
import { renderKustomization } from '../kustomize';
import { clientIn, portsOpenTo, suiteClient, type Client } from '../network-policy';
import { K8S_BASE, K8S_PROD } from '../repo';
import { CLIENT, MONGO_INSTANCES, SERVICES } from './suite';

const prod = renderKustomization(K8S_PROD);

function statefulSet(objects: KubeObject[], name: string): IStatefulSet {
  const found = workloadsIn(objects).find((w) => w.kind === 'StatefulSet' && nameOf(w) === name);
  if (!found) throw new Error(`no StatefulSet ${name}`);
  return found as IStatefulSet;
}

function argsOf(objects: KubeObject[], name: string): string[] {
  return podSpecOf(statefulSet(objects, name))?.containers[0]?.args ?? [];
}

/** The value after a command-line flag. */
function flag(args: string[], name: string): string | undefined {
  const index = args.indexOf(name);
  return index < 0 ? undefined : args[index + 1];
}

function envOf(name: string): Map<string, string> {
  const owner = podOwnersIn(prod).find((o) => nameOf(o) === name);
  const container = owner && podSpecOf(owner)?.containers[0];
  if (!container) throw new Error(`no container in ${name}`);
  return resolvedEnv(container, configMapsIn(prod));
}

describe('overlays/prod', () => {
  it('deploys the base plus the replica set Job, autoscalers, budgets and network policies', () => {
    const base = renderKustomization(K8S_BASE).map(idOf);
    const added = prod.map(idOf).filter((id) => !base.includes(id));
    const kinds = [...new Set(added.map((id) => id.split('/')[0]))].sort();
    expect(kinds).toEqual([
      'ConfigMap',
      'HorizontalPodAutoscaler',
      'Job',
      'NetworkPolicy',
      'PodDisruptionBudget',
    ]);
    expect(prod.map(idOf)).toEqual(expect.arrayContaining(base));
  });

  it.each([...SERVICES, CLIENT])('runs at least three replicas of %s', (service) => {
    const deployment = workloadsIn(prod).find((w) => nameOf(w) === service);
    expect(deployment?.spec?.replicas).toBeGreaterThanOrEqual(3);
  });

  it.each([...SERVICES, CLIENT])('autoscales %s on CPU from three replicas', (service) => {
    const autoscalers = autoscalersIn(prod).filter(
      (a) => a.spec?.scaleTargetRef.kind === 'Deployment' && a.spec.scaleTargetRef.name === service,
    );
    expect(autoscalers).toHaveLength(1);
    const spec = autoscalers[0]?.spec;
    expect(spec?.minReplicas).toBeGreaterThanOrEqual(3);
    expect(spec?.maxReplicas).toBeGreaterThan(spec?.minReplicas ?? 0);
    expect(spec?.metrics?.map((m) => m.resource?.name)).toEqual(['cpu']);
  });

  it.each([...SERVICES, CLIENT, 'nats', ...MONGO_INSTANCES])(
    'lets a node drain evict one pod of %s at a time',
    (name) => {
      const owner = workloadsIn(prod).find((w) => nameOf(w) === name);
      const budgets = disruptionBudgetsIn(prod).filter(
        (b) => owner && selects(b.spec?.selector?.matchLabels ?? {}, podLabelsOf(owner)),
      );
      expect(budgets.map((b) => b.spec?.maxUnavailable)).toEqual([1]);
    },
  );

  describe('MongoDB replica sets', () => {
    const job = jobsIn(prod).find((j) => nameOf(j) === 'mongo-init-replica-sets');
    const jobEnv = envOf('mongo-init-replica-sets');

    it.each(MONGO_INSTANCES)('runs %s as three members of the replica set', (name) => {
      const args = argsOf(prod, name);
      expect(statefulSet(prod, name).spec?.replicas).toBe(3);
      expect(flag(args, '--replSet')).toBe(jobEnv.get('REPLICA_SET'));
    });

    it.each(SERVICES.filter((s) => s !== 'teams'))(
      "lists every member of %s's MongoDB, with the set's name and majority writes",
      (service) => {
        const url = envOf(service).get('MONGO_URL') ?? '';
        const [, hosts = '', database, query = ''] =
          /^mongodb:\/\/([^/]+)\/([^?]+)\?(.*)$/.exec(url) ?? [];
        const mongo = statefulSet(prod, `${service}-mongo`);
        const members = podNamesOf(mongo).map((pod) => `${pod}.${mongo.spec?.serviceName}:27017`);
        expect(hosts.split(',')).toEqual(members);
        expect(database).toBe(service);
        const params = new URLSearchParams(query);
        expect(params.get('replicaSet')).toBe(flag(argsOf(prod, `${service}-mongo`), '--replSet'));
        expect(params.get('w')).toBe('majority');
      },
    );

    it('initiates every MongoDB from a Job that runs the script with mongosh from the mongo image', () => {
      expect(jobEnv.get('MONGO_SETS')?.split(' ').sort()).toEqual([...MONGO_INSTANCES].sort());
      const pod = job && podSpecOf(job);
      const container = pod?.containers[0];
      expect(container?.image).toBe(
        podSpecOf(statefulSet(prod, 'auth-mongo'))?.containers[0]?.image,
      );
      expect(container?.command?.slice(0, 2)).toEqual(['mongosh', '--nodb']);
      const script = container?.command?.at(-1) ?? '';
      const mount = container?.volumeMounts?.find((m) => script.startsWith(`${m.mountPath}/`));
      const volume = pod?.volumes?.find((v) => v.name === mount?.name);
      const configMap = configMapsIn(prod).find((c) => nameOf(c) === volume?.configMap?.name);
      expect(Object.keys(configMap?.data ?? {})).toContain(
        script.slice(`${mount?.mountPath}/`.length),
      );
    });
  });

  describe('NATS', () => {
    const nats = statefulSet(prod, 'nats');
    const args = argsOf(prod, 'nats');

    it('runs three JetStream servers that start together, each named after its pod', () => {
      expect(nats.spec?.replicas).toBe(3);
      expect(nats.spec?.podManagementPolicy).toBe('Parallel');
      expect(args).toContain('-js');
      expect(flag(args, '-n')).toBe('$(POD_NAME)');
      const podName = podSpecOf(nats)?.containers[0]?.env?.find((e) => e.name === 'POD_NAME');
      expect(podName?.valueFrom?.fieldRef?.fieldPath).toBe('metadata.name');
    });

    it('clusters on 6222, with a route to every pod through the headless Service', () => {
      expect(flag(args, '--cluster_name')).toBeTruthy();
      expect(flag(args, '--cluster')).toBe('nats://0.0.0.0:6222');
      const routes = flag(args, '--routes')?.split(',');
      expect(routes).toEqual(podNamesOf(nats).map((pod) => `nats://${pod}.nats:6222`));
      const service = servicesIn(prod).find((s) => nameOf(s) === nats.spec?.serviceName);
      expect(service?.spec?.clusterIP).toBe('None');
      // Routes must resolve before a server is ready: it becomes ready by joining the others.
      expect(service?.spec?.publishNotReadyAddresses).toBe(true);
      expect(service?.spec?.ports?.find((p) => p.port === 6222)?.targetPort).toBe('cluster');
    });

    it('keeps three replicas of the event stream', () => {
      expect(envOf('auth').get('NATS_STREAM_REPLICAS')).toBe('3');
    });
  });

  describe('network policies', () => {
    const owners = podOwnersIn(prod);
    const ingressNginx = clientIn('ingress-nginx', {
      'app.kubernetes.io/name': 'ingress-nginx',
      'app.kubernetes.io/component': 'controller',
    });
    const clients: Record<string, Client> = {
      ...Object.fromEntries(owners.map((o) => [nameOf(o), suiteClient(o)])),
      'ingress-nginx': ingressNginx,
      'a pod of another namespace': clientIn('elsewhere', { 'app.kubernetes.io/name': 'auth' }),
    };
    const store = (port: number, ...names: string[]) =>
      Object.fromEntries(names.map((name) => [name, [port]]));
    const common = { nats: [4222], redis: [6379] };

    /** Who may open which ports of whom; every pair not listed must be closed. */
    const REACHES: Record<string, Record<string, number[]>> = {
      'ingress-nginx': { ...store(3000, ...SERVICES, CLIENT), s3: [7070] },
      auth: { ...common, 'auth-mongo': [27017] },
      tickets: { ...common, 'tickets-mongo': [27017] },
      teams: { ...common, 'teams-postgres': [5432] },
      tasks: { ...common, 'tasks-mongo': [27017], s3: [7070] },
      notifications: { ...common, 'notifications-mongo': [27017] },
      // Replica set members talk to each other; the Job initiates every set.
      ...Object.fromEntries(MONGO_INSTANCES.map((name) => [name, store(27017, name)])),
      'mongo-init-replica-sets': store(27017, ...MONGO_INSTANCES),
      nats: { nats: [6222] },
    };

    const cases = Object.keys(clients).flatMap((from) =>
      workloadsIn(prod).map((to) => [from, nameOf(to), REACHES[from]?.[nameOf(to)] ?? []] as const),
    );

    it.each(cases)('%s reaches %s on %j', (from, to, ports) => {
      const target = workloadsIn(prod).find((w) => nameOf(w) === to);
      if (!target || !clients[from]) throw new Error(`no ${from} or ${to}`);
      expect(portsOpenTo(prod, clients[from], target)).toEqual(ports);
    });

    it('lets the client open connections to the ingress controller (HTTP) and DNS only', () => {
      const egress = networkPoliciesIn(prod).filter(
        (p) =>
          p.spec?.policyTypes?.includes('Egress') &&
          owners.some(
            (o) =>
              nameOf(o) === CLIENT && matchesSelector(p.spec?.podSelector ?? {}, podLabelsOf(o)),
          ),
      );
      const rules = egress.flatMap((p) => p.spec?.egress ?? []);
      expect(
        rules.map((rule) => [
          rule.to?.map((peer) => [
            peer.namespaceSelector?.matchLabels,
            peer.podSelector?.matchLabels,
          ]),
          rule.ports?.map((port) => `${port.port}/${port.protocol ?? 'TCP'}`),
        ]),
      ).toEqual([
        [[[{ 'kubernetes.io/metadata.name': 'ingress-nginx' }, undefined]], ['80/TCP']],
        [
          [[{ 'kubernetes.io/metadata.name': 'kube-system' }, { 'k8s-app': 'kube-dns' }]],
          ['53/UDP', '53/TCP'],
        ],
      ]);
    });

    it('isolates every pod: nothing is open without a policy that says so', () => {
      const probe = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'new' } };
      const unlisted = {
        ...probe,
        spec: {
          selector: { matchLabels: { 'app.kubernetes.io/name': 'new' } },
          template: {
            metadata: { labels: { 'app.kubernetes.io/name': 'new' } },
            spec: { containers: [{ name: 'new', ports: [{ containerPort: 8080 }] }] },
          },
        },
      };
      expect(portsOpenTo(prod, ingressNginx, unlisted as never)).toEqual([]);
    });
  });
});
