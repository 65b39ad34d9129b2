import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { StatefulSet, type IStatefulSet } from 'kubernetes-models/apps/v1/StatefulSet';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import { Job } from 'kubernetes-models/batch/v1/Job';
import { Ingress } from 'kubernetes-models/networking.k8s.io/v1/Ingress';
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import type { IContainer } from 'kubernetes-models/v1/Container';
import { PersistentVolumeClaim } from 'kubernetes-models/v1/PersistentVolumeClaim';
import type { IProbe } from 'kubernetes-models/v1/Probe';
import { Secret } from 'kubernetes-models/v1/Secret';
import { Service } from 'kubernetes-models/v1/Service';
import {
  autoscalersIn,
  configMapsIn,
  containersOf,
  disruptionBudgetsIn,
  findContainerPort,
  idOf,
  imageName,
  imageTag,
  ingressesIn,
  isApplicationService,
  isWebClient,
  nameOf,
  podLabelsOf,
  podOwnersIn,
  podSpecOf,
  resolvedEnv,
  secretsIn,
  selects,
  servicesIn,
  workloadsIn,
  type KubeObject,
  type PodOwner,
  type Workload,
} from './kube';
import { parseQuantity } from './quantity';

/**
 * Each check returns the problems it finds, one readable line each, so a test asserts `[]`
 * and a failure names the object and the field.
 */
type ModelClass = new (data: never) => { validate(): void };

const SCHEMAS: Record<string, ModelClass> = {
  'v1/ConfigMap': ConfigMap,
  'v1/Secret': Secret,
  'v1/Service': Service,
  'v1/PersistentVolumeClaim': PersistentVolumeClaim,
  'apps/v1/Deployment': Deployment,
  'apps/v1/StatefulSet': StatefulSet,
  'batch/v1/Job': Job,
  'autoscaling/v2/HorizontalPodAutoscaler': HorizontalPodAutoscaler,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
  'networking.k8s.io/v1/Ingress': Ingress,
  'networking.k8s.io/v1/NetworkPolicy': NetworkPolicy,
};

/** Our own image names: built by skaffold, which sets the tag. */
export const OWN_IMAGE_PREFIX = 'taskforge/';

export function schemaProblems(objects: KubeObject[]): string[] {
  return objects.flatMap((object) => {
    const Model = SCHEMAS[`${object.apiVersion}/${object.kind}`];
    if (!Model) return [`${idOf(object)}: no schema known for ${object.apiVersion} ${object.kind}`];
    try {
      new Model(object as never).validate();
      return [];
    } catch (err) {
      return [`${idOf(object)}: ${(err as Error).message}`];
    }
  });
}

export function duplicateProblems(objects: KubeObject[]): string[] {
  const seen = new Set<string>();
  return objects.flatMap((object) => {
    const id = idOf(object);
    if (seen.has(id)) return [`${id} is defined twice`];
    seen.add(id);
    return [];
  });
}

export function workloadSelectorProblems(objects: KubeObject[]): string[] {
  return workloadsIn(objects).flatMap((workload) => {
    const selector = workload.spec?.selector;
    if (selector?.matchExpressions?.length) return [`${idOf(workload)}: use matchLabels only`];
    return selects(selector?.matchLabels ?? {}, podLabelsOf(workload))
      ? []
      : [`${idOf(workload)}: selector does not match its own pod template labels`];
  });
}

function workloadsSelectedBy(selector: Record<string, string>, objects: KubeObject[]): Workload[] {
  return workloadsIn(objects).filter((workload) => selects(selector, podLabelsOf(workload)));
}

export function serviceSelectorProblems(objects: KubeObject[]): string[] {
  return servicesIn(objects).flatMap((service) => {
    const selector = service.spec?.selector ?? {};
    const matched = workloadsSelectedBy(selector, objects);
    if (matched.length === 1) return [];
    const names = matched.map(idOf).join(', ') || 'none';
    return [`Service/${nameOf(service)} selects the pods of ${matched.length} workloads: ${names}`];
  });
}

export function servicePortProblems(objects: KubeObject[]): string[] {
  return servicesIn(objects).flatMap((service) => {
    const containers = workloadsSelectedBy(service.spec?.selector ?? {}, objects).flatMap(
      containersOf,
    );
    return (service.spec?.ports ?? []).flatMap((port) => {
      const target = port.targetPort ?? port.port;
      return findContainerPort(containers, target)
        ? []
        : [`Service/${nameOf(service)} port ${port.port}: no container port ${target}`];
    });
  });
}

export function ingressBackendProblems(objects: KubeObject[]): string[] {
  const services = servicesIn(objects);
  return ingressesIn(objects).flatMap((ingress) => {
    const backends = [
      ...(ingress.spec?.defaultBackend ? [ingress.spec.defaultBackend] : []),
      ...(ingress.spec?.rules ?? []).flatMap((rule) =>
        (rule.http?.paths ?? []).map((path) => path.backend),
      ),
    ];
    return backends.flatMap((backend) => {
      const ref = backend.service;
      if (!ref) return [`Ingress/${nameOf(ingress)}: a backend is not a Service`];
      const service = services.find((s) => nameOf(s) === ref.name);
      if (!service) return [`Ingress/${nameOf(ingress)}: no Service ${ref.name}`];
      const port = (service.spec?.ports ?? []).find((p) =>
        ref.port?.number !== undefined ? p.port === ref.port.number : p.name === ref.port?.name,
      );
      const wanted = ref.port?.number ?? ref.port?.name;
      return port ? [] : [`Ingress/${nameOf(ingress)}: Service ${ref.name} has no port ${wanted}`];
    });
  });
}

interface KeyRef {
  kind: 'ConfigMap' | 'Secret';
  name: string;
  /** undefined: the whole object (envFrom, or a volume without items). */
  key: string | undefined;
  optional: boolean;
}

function keyRefsOf(workload: PodOwner): KeyRef[] {
  const refs: KeyRef[] = [];
  for (const container of containersOf(workload)) {
    for (const variable of container.env ?? []) {
      const cm = variable.valueFrom?.configMapKeyRef;
      const secret = variable.valueFrom?.secretKeyRef;
      if (cm)
        refs.push({ kind: 'ConfigMap', name: cm.name ?? '', key: cm.key, optional: !!cm.optional });
      if (secret) {
        refs.push({
          kind: 'Secret',
          name: secret.name ?? '',
          key: secret.key,
          optional: !!secret.optional,
        });
      }
    }
    for (const source of container.envFrom ?? []) {
      if (source.configMapRef) {
        refs.push({
          kind: 'ConfigMap',
          name: source.configMapRef.name ?? '',
          key: undefined,
          optional: !!source.configMapRef.optional,
        });
      }
      if (source.secretRef) {
        refs.push({
          kind: 'Secret',
          name: source.secretRef.name ?? '',
          key: undefined,
          optional: !!source.secretRef.optional,
        });
      }
    }
  }
  for (const volume of podSpecOf(workload)?.volumes ?? []) {
    const sources = [
      ...(volume.configMap ? [{ kind: 'ConfigMap' as const, ...volume.configMap }] : []),
      ...(volume.secret
        ? [{ kind: 'Secret' as const, ...volume.secret, name: volume.secret.secretName }]
        : []),
      ...(volume.projected?.sources ?? []).flatMap((source) => [
        ...(source.configMap ? [{ kind: 'ConfigMap' as const, ...source.configMap }] : []),
        ...(source.secret ? [{ kind: 'Secret' as const, ...source.secret }] : []),
      ]),
    ];
    for (const source of sources) {
      const keys = source.items?.map((item) => item.key) ?? [undefined];
      for (const key of keys) {
        refs.push({ kind: source.kind, name: source.name ?? '', key, optional: !!source.optional });
      }
    }
  }
  return refs;
}

/**
 * Every ConfigMap/Secret key a pod reads exists: in the manifests, or among `external`
 * objects created outside them (the Secrets of create-secrets.sh). Optional refs too: a
 * typo there fails silently in the cluster.
 */
export function configRefProblems(objects: KubeObject[], external: KubeObject[]): string[] {
  const all = [...objects, ...external];
  const keysOf = (kind: KeyRef['kind'], name: string): Set<string> | undefined => {
    const found =
      kind === 'ConfigMap'
        ? configMapsIn(all).find((c) => nameOf(c) === name)
        : secretsIn(all).find((s) => nameOf(s) === name);
    if (!found) return undefined;
    const data = found as { data?: object; stringData?: object; binaryData?: object };
    return new Set(
      [data.data, data.stringData, data.binaryData].flatMap((d) => Object.keys(d ?? {})),
    );
  };
  return podOwnersIn(objects).flatMap((workload) =>
    keyRefsOf(workload).flatMap((ref) => {
      const keys = keysOf(ref.kind, ref.name);
      if (!keys) return [`${idOf(workload)}: reads ${ref.kind} ${ref.name}, which nothing creates`];
      if (ref.key !== undefined && !keys.has(ref.key)) {
        return [`${idOf(workload)}: reads ${ref.kind} ${ref.name} key ${ref.key}, which it lacks`];
      }
      return [];
    }),
  );
}

/** Names of the workloads and Jobs whose pods can read the Secret, by env, envFrom or volume. */
export function readersOfSecret(objects: KubeObject[], secretName: string): string[] {
  return podOwnersIn(objects)
    .filter((workload) =>
      keyRefsOf(workload).some((ref) => ref.kind === 'Secret' && ref.name === secretName),
    )
    .map(nameOf)
    .sort();
}

/** Every env var name a container gets, wherever its value comes from. */
export function envNamesOf(container: IContainer, objects: KubeObject[]): Set<string> {
  const names = new Set((container.env ?? []).map((variable) => variable.name));
  for (const source of container.envFrom ?? []) {
    const name = source.configMapRef?.name ?? source.secretRef?.name;
    const found = [...configMapsIn(objects), ...secretsIn(objects)].find((o) => nameOf(o) === name);
    for (const key of Object.keys(found?.data ?? {})) names.add(`${source.prefix ?? ''}${key}`);
  }
  return names;
}

function probePort(probe: IProbe): string | number | undefined {
  return probe.httpGet?.port ?? probe.tcpSocket?.port ?? probe.grpc?.port;
}

/**
 * Every long-running container has readiness and liveness probes aimed at one of its ports;
 * application services use /readyz and /healthz on the port they listen on.
 */
export function probeProblems(objects: KubeObject[]): string[] {
  return workloadsIn(objects).flatMap((workload) =>
    (podSpecOf(workload)?.containers ?? []).flatMap((container) => {
      const where = `${idOf(workload)} container ${container.name}`;
      const problems: string[] = [];
      const probes = {
        readiness: container.readinessProbe,
        liveness: container.livenessProbe,
        startup: container.startupProbe,
      };
      for (const [kind, probe] of Object.entries(probes)) {
        if (!probe) {
          if (kind !== 'startup') problems.push(`${where}: no ${kind} probe`);
          continue;
        }
        const port = probePort(probe);
        if (probe.exec) continue;
        if (port === undefined || !findContainerPort([container], port)) {
          problems.push(`${where}: ${kind} probe port ${port} is not a container port`);
        }
      }
      if (isApplicationService(workload)) {
        const expected = { readiness: '/readyz', liveness: '/healthz' } as const;
        for (const [kind, path] of Object.entries(expected)) {
          const probe = kind === 'readiness' ? container.readinessProbe : container.livenessProbe;
          if (probe?.httpGet?.path !== path) {
            problems.push(`${where}: ${kind} probe must GET ${path}, not ${probe?.httpGet?.path}`);
          }
          const port = probe && probePort(probe);
          const listening = resolvedEnv(container, configMapsIn(objects)).get('PORT') ?? '3000';
          const target = port === undefined ? undefined : findContainerPort([container], port);
          if (target && String(target.containerPort) !== listening) {
            problems.push(
              `${where}: ${kind} probe targets ${target.containerPort}, not PORT ${listening}`,
            );
          }
        }
      }
      return problems;
    }),
  );
}

export function resourceProblems(objects: KubeObject[]): string[] {
  return podOwnersIn(objects).flatMap((workload) =>
    containersOf(workload).flatMap((container) => {
      const where = `${idOf(workload)} container ${container.name}`;
      const { requests = {}, limits = {} } = container.resources ?? {};
      return ['cpu', 'memory'].flatMap((resource) => {
        const request = requests[resource];
        const limit = limits[resource];
        if (request === undefined || limit === undefined) {
          return [`${where}: needs both a ${resource} request and a ${resource} limit`];
        }
        const [r, l] = [parseQuantity(request), parseQuantity(limit)];
        if (Number.isNaN(r) || Number.isNaN(l)) return [`${where}: bad ${resource} quantity`];
        return r > l ? [`${where}: ${resource} request ${request} exceeds its limit ${limit}`] : [];
      });
    }),
  );
}

/** Non-root, no privilege escalation, no capabilities, whether set on the pod or container. */
export function securityProblems(objects: KubeObject[]): string[] {
  return podOwnersIn(objects).flatMap((workload) => {
    const pod = podSpecOf(workload)?.securityContext ?? {};
    return containersOf(workload).flatMap((container) => {
      const where = `${idOf(workload)} container ${container.name}`;
      const own = container.securityContext ?? {};
      const problems: string[] = [];
      if ((own.runAsNonRoot ?? pod.runAsNonRoot) !== true)
        problems.push(`${where}: runAsNonRoot must be true`);
      const uid = own.runAsUser ?? pod.runAsUser;
      if (uid === undefined || uid === 0) problems.push(`${where}: needs a non-zero runAsUser`);
      if (own.allowPrivilegeEscalation !== false)
        problems.push(`${where}: allowPrivilegeEscalation must be false`);
      if (own.privileged) problems.push(`${where}: must not be privileged`);
      if (!own.capabilities?.drop?.includes('ALL'))
        problems.push(`${where}: must drop ALL capabilities`);
      if (own.capabilities?.add?.length) problems.push(`${where}: must add no capabilities`);
      return problems;
    });
  });
}

/**
 * After SIGTERM a service stops accepting, waits up to common's drain timeout (10 s) for
 * in-flight requests, then stops its consumers, drains NATS and closes its stores: given
 * this long for those steps, the grace period must cover the preStop sleep and all of it.
 */
export const SHUTDOWN_SECONDS = 10 + 10;

function preStopSleepSeconds(container: IContainer): number {
  const command = container.lifecycle?.preStop?.exec?.command ?? [];
  return command[0] === 'sleep'
    ? Number(command[1])
    : (container.lifecycle?.preStop?.sleep?.seconds ?? 0);
}

/**
 * What every application service pod shares: the node user, a grace period that covers the
 * preStop sleep and the shutdown, and a writable /tmp from an emptyDir (its only writable path
 * when the root file system is read-only, as it is everywhere but the dev overlay).
 */
export function serviceRuntimeProblems(objects: KubeObject[], readOnlyRoot: boolean): string[] {
  return workloadsIn(objects)
    .filter((workload) => isApplicationService(workload) || isWebClient(workload))
    .flatMap((workload) => {
      const pod = podSpecOf(workload);
      const problems: string[] = [];
      const where = idOf(workload);
      const grace = pod?.terminationGracePeriodSeconds ?? 30;
      for (const container of pod?.containers ?? []) {
        const needed = preStopSleepSeconds(container) + SHUTDOWN_SECONDS;
        if (grace < needed) {
          problems.push(
            `${where}: terminationGracePeriodSeconds ${grace} does not cover preStop + shutdown (${needed} s)`,
          );
        }
        const uid = container.securityContext?.runAsUser ?? pod?.securityContext?.runAsUser;
        if (uid !== 1000) problems.push(`${where}: must run as the node user (1000), not ${uid}`);
        if ((container.securityContext?.readOnlyRootFilesystem ?? false) !== readOnlyRoot) {
          problems.push(`${where}: readOnlyRootFilesystem must be ${readOnlyRoot}`);
        }
        const tmp = container.volumeMounts?.find((mount) => mount.mountPath === '/tmp');
        const volume = pod?.volumes?.find((v) => v.name === tmp?.name);
        if (!volume?.emptyDir) problems.push(`${where}: /tmp must be an emptyDir mount`);
      }
      return problems;
    });
}

/**
 * Store images carry a version tag (never `latest`); our own images are tagged by skaffold, and
 * left untagged here they are `latest`, which Kubernetes pulls on every start unless told
 * otherwise: `kubectl apply -k` on a cluster whose images were built in place (minikube's
 * Docker, the cluster of `npm run cluster`) would try a registry and fail with ErrImagePull.
 */
export function imageProblems(objects: KubeObject[]): string[] {
  return podOwnersIn(objects).flatMap((workload) =>
    containersOf(workload).flatMap((container) => {
      const image = container.image ?? '';
      const tag = imageTag(image);
      const where = `${idOf(workload)} container ${container.name}`;
      if (image.startsWith(OWN_IMAGE_PREFIX)) {
        if (tag || image.includes('@')) return [`${where}: leave ${image} untagged for skaffold`];
        return container.imagePullPolicy === 'IfNotPresent'
          ? []
          : [`${where}: ${image} is built in place: imagePullPolicy IfNotPresent`];
      }
      const pinned =
        image.includes('@sha256:') || (tag !== undefined && tag !== 'latest' && /\d/.test(tag));
      return pinned ? [] : [`${where}: pin ${imageName(image)} to a version`];
    }),
  );
}

/** StatefulSets name an existing headless Service of theirs and mount every claim template. */
export function statefulSetProblems(objects: KubeObject[]): string[] {
  const services = servicesIn(objects);
  return workloadsIn(objects)
    .filter((workload) => workload.kind === 'StatefulSet')
    .flatMap((workload) => {
      const spec = (workload as IStatefulSet).spec;
      const where = idOf(workload);
      const problems: string[] = [];
      const service = services.find((s) => nameOf(s) === spec?.serviceName);
      if (!service) problems.push(`${where}: serviceName ${spec?.serviceName} is not a Service`);
      else if (service.spec?.clusterIP !== 'None')
        problems.push(`${where}: Service ${nameOf(service)} must be headless`);
      else if (!selects(service.spec.selector ?? {}, podLabelsOf(workload))) {
        problems.push(`${where}: Service ${nameOf(service)} does not select its pods`);
      }
      const mounted = new Set(
        containersOf(workload).flatMap((c) => (c.volumeMounts ?? []).map((m) => m.name)),
      );
      for (const claim of spec?.volumeClaimTemplates ?? []) {
        if (!mounted.has(claim.metadata?.name ?? ''))
          problems.push(`${where}: claim ${claim.metadata?.name} is never mounted`);
      }
      if (!spec?.volumeClaimTemplates?.length)
        problems.push(`${where}: has no volumeClaimTemplates`);
      return problems;
    });
}

/**
 * Each HorizontalPodAutoscaler scales an existing Deployment on CPU, which it can only do when
 * every container of the Deployment requests CPU.
 */
export function autoscalerProblems(objects: KubeObject[]): string[] {
  return autoscalersIn(objects).flatMap((autoscaler) => {
    const where = idOf(autoscaler);
    const ref = autoscaler.spec?.scaleTargetRef;
    const target = workloadsIn(objects).find(
      (w) => w.kind === ref?.kind && nameOf(w) === ref?.name,
    );
    if (!target) return [`${where}: no ${ref?.kind} ${ref?.name} to scale`];
    const problems: string[] = [];
    const { minReplicas = 1, maxReplicas } = autoscaler.spec ?? { maxReplicas: 0 };
    if (minReplicas > maxReplicas) problems.push(`${where}: minReplicas exceeds maxReplicas`);
    for (const metric of autoscaler.spec?.metrics ?? []) {
      if (metric.type === 'Resource' && metric.resource?.name === 'cpu') {
        const unrequested = containersOf(target).filter((c) => !c.resources?.requests?.cpu);
        for (const container of unrequested)
          problems.push(`${where}: container ${container.name} requests no CPU to scale on`);
      }
    }
    return problems;
  });
}

/**
 * Each PodDisruptionBudget covers the pods of exactly one workload and still lets a node drain
 * take one of them.
 */
export function disruptionBudgetProblems(objects: KubeObject[]): string[] {
  return disruptionBudgetsIn(objects).flatMap((budget) => {
    const where = idOf(budget);
    const selector = budget.spec?.selector;
    if (selector?.matchExpressions?.length) return [`${where}: use matchLabels only`];
    const covered = workloadsSelectedBy(selector?.matchLabels ?? {}, objects);
    const [workload] = covered;
    if (covered.length !== 1 || !workload) {
      return [`${where}: covers the pods of ${covered.length} workloads`];
    }
    const replicas = workload.spec?.replicas ?? 1;
    const { maxUnavailable, minAvailable } = budget.spec ?? {};
    const blocks =
      maxUnavailable !== undefined
        ? maxUnavailable === 0 || maxUnavailable === '0%'
        : typeof minAvailable === 'number' && minAvailable >= replicas;
    return blocks ? [`${where}: lets no pod of ${idOf(workload)} be evicted`] : [];
  });
}
