import type { IDeployment } from 'kubernetes-models/apps/v1/Deployment';
import type { IStatefulSet } from 'kubernetes-models/apps/v1/StatefulSet';
import type { IHorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import type { IJob } from 'kubernetes-models/batch/v1/Job';
import type { INetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import type { IPodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import type { IIngress } from 'kubernetes-models/networking.k8s.io/v1/Ingress';
import type { IConfigMap } from 'kubernetes-models/v1/ConfigMap';
import type { IContainer } from 'kubernetes-models/v1/Container';
import type { IContainerPort } from 'kubernetes-models/v1/ContainerPort';
import type { IPodSpec } from 'kubernetes-models/v1/PodSpec';
import type { ISecret } from 'kubernetes-models/v1/Secret';
import type { IService } from 'kubernetes-models/v1/Service';

/** What every rendered document has; the specific shapes come from kubernetes-models. */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata?: { name?: string; namespace?: string; labels?: Record<string, string> };
  [field: string]: unknown;
}

export type Workload = IDeployment | IStatefulSet;
/** Whatever runs pods: the long-running workloads and run-to-completion Jobs. */
export type PodOwner = Workload | IJob;
export type Labels = Record<string, string>;
/** A label selector with expressions (kubernetes-models names it in a package of its own). */
export type LabelSelector = NonNullable<INetworkPolicy['spec']>['podSelector'];

/** The label every application service's workload carries (stores have their own). */
export const SERVICE_COMPONENT = 'service';

interface Named {
  kind?: string;
  metadata?: { name?: string };
}

export function nameOf(object: Named): string {
  return object.metadata?.name ?? '(unnamed)';
}

export function idOf(object: Named): string {
  return `${object.kind}/${nameOf(object)}`;
}

function ofKind<T>(objects: KubeObject[], apiVersion: string, kind: string): T[] {
  return objects.filter((o) => o.apiVersion === apiVersion && o.kind === kind) as unknown as T[];
}

export const workloadsIn = (objects: KubeObject[]): Workload[] => [
  ...ofKind<IDeployment>(objects, 'apps/v1', 'Deployment'),
  ...ofKind<IStatefulSet>(objects, 'apps/v1', 'StatefulSet'),
];
export const jobsIn = (objects: KubeObject[]): IJob[] => ofKind<IJob>(objects, 'batch/v1', 'Job');
export const podOwnersIn = (objects: KubeObject[]): PodOwner[] => [
  ...workloadsIn(objects),
  ...jobsIn(objects),
];
export const servicesIn = (objects: KubeObject[]): IService[] =>
  ofKind<IService>(objects, 'v1', 'Service');
export const ingressesIn = (objects: KubeObject[]): IIngress[] =>
  ofKind<IIngress>(objects, 'networking.k8s.io/v1', 'Ingress');
export const configMapsIn = (objects: KubeObject[]): IConfigMap[] =>
  ofKind<IConfigMap>(objects, 'v1', 'ConfigMap');
export const secretsIn = (objects: KubeObject[]): ISecret[] =>
  ofKind<ISecret>(objects, 'v1', 'Secret');
export const autoscalersIn = (objects: KubeObject[]): IHorizontalPodAutoscaler[] =>
  ofKind<IHorizontalPodAutoscaler>(objects, 'autoscaling/v2', 'HorizontalPodAutoscaler');
export const disruptionBudgetsIn = (objects: KubeObject[]): IPodDisruptionBudget[] =>
  ofKind<IPodDisruptionBudget>(objects, 'policy/v1', 'PodDisruptionBudget');
export const networkPoliciesIn = (objects: KubeObject[]): INetworkPolicy[] =>
  ofKind<INetworkPolicy>(objects, 'networking.k8s.io/v1', 'NetworkPolicy');

export function podSpecOf(owner: PodOwner): IPodSpec | undefined {
  return owner.spec?.template.spec;
}

export function podLabelsOf(owner: PodOwner): Labels {
  return owner.spec?.template.metadata?.labels ?? {};
}

/** Every container of the pod, init containers included. */
export function containersOf(workload: PodOwner): IContainer[] {
  const spec = podSpecOf(workload);
  return [...(spec?.initContainers ?? []), ...(spec?.containers ?? [])];
}

export function isApplicationService(workload: Workload): boolean {
  return workload.metadata?.labels?.['app.kubernetes.io/component'] === SERVICE_COMPONENT;
}

/** The web client: our own image like the services, but it only talks to the ingress. */
export const WEB_COMPONENT = 'web';

export function isWebClient(workload: Workload): boolean {
  return workload.metadata?.labels?.['app.kubernetes.io/component'] === WEB_COMPONENT;
}

export function selects(selector: Labels, labels: Labels): boolean {
  const entries = Object.entries(selector);
  return entries.length > 0 && entries.every(([key, value]) => labels[key] === value);
}

/** A full label selector, as NetworkPolicies use it: `{}` selects everything. */
export function matchesSelector(selector: LabelSelector, labels: Labels): boolean {
  const byLabel = Object.entries(selector.matchLabels ?? {}).every(([k, v]) => labels[k] === v);
  return (
    byLabel &&
    (selector.matchExpressions ?? []).every(({ key, operator, values = [] }) => {
      const value = labels[key];
      switch (operator) {
        case 'In':
          return value !== undefined && values.includes(value);
        case 'NotIn':
          return value === undefined || !values.includes(value);
        case 'Exists':
          return value !== undefined;
        case 'DoesNotExist':
          return value === undefined;
        default:
          throw new Error(`unknown selector operator ${operator}`);
      }
    })
  );
}

/** The container port a probe or Service targets, by name or number. */
export function findContainerPort(
  containers: IContainer[],
  port: string | number,
): IContainerPort | undefined {
  const ports = containers.flatMap((container) => container.ports ?? []);
  return typeof port === 'number'
    ? ports.find((p) => p.containerPort === port)
    : ports.find((p) => p.name === port);
}

/** Image name without tag or digest. */
export function imageName(image: string): string {
  return image.replace(/@.*$/, '').replace(/:[^/:]+$/, '');
}

export function imageTag(image: string): string | undefined {
  const withoutDigest = image.replace(/@.*$/, '');
  const match = /:([^/:]+)$/.exec(withoutDigest);
  return match?.[1];
}

function decoded(secret: ISecret | undefined, key: string): string | undefined {
  const value = secret?.data?.[key];
  return value === undefined ? secret?.stringData?.[key] : Buffer.from(value, 'base64').toString();
}

/**
 * Env values by name, as the container would see them: literal, from ConfigMaps and, when the
 * Secrets are given, from Secrets.
 */
export function resolvedEnv(
  container: IContainer,
  configMaps: IConfigMap[],
  secrets: ISecret[] = [],
): Map<string, string> {
  const env = new Map<string, string>();
  for (const source of container.envFrom ?? []) {
    const data = configMaps.find((c) => nameOf(c) === source.configMapRef?.name)?.data ?? {};
    for (const [key, value] of Object.entries(data)) env.set(`${source.prefix ?? ''}${key}`, value);
  }
  for (const variable of container.env ?? []) {
    const ref = variable.valueFrom?.configMapKeyRef;
    const secretRef = variable.valueFrom?.secretKeyRef;
    let value: string | undefined;
    if (variable.value !== undefined) value = variable.value;
    else if (ref) value = configMaps.find((c) => nameOf(c) === ref.name)?.data?.[ref.key];
    else if (secretRef) {
      const secret = secrets.find((s) => nameOf(s) === secretRef.name);
      value = decoded(secret, secretRef.key);
    }
    if (value !== undefined) env.set(variable.name, value);
  }
  return env;
}
