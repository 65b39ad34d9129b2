import type { IDeployment } from 'kubernetes-models/apps/v1/Deployment';
import type { IStatefulSet } from 'kubernetes-models/apps/v1/StatefulSet';
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
export type Labels = Record<string, string>;

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
export const servicesIn = (objects: KubeObject[]): IService[] =>
  ofKind<IService>(objects, 'v1', 'Service');
export const ingressesIn = (objects: KubeObject[]): IIngress[] =>
  ofKind<IIngress>(objects, 'networking.k8s.io/v1', 'Ingress');
export const configMapsIn = (objects: KubeObject[]): IConfigMap[] =>
  ofKind<IConfigMap>(objects, 'v1', 'ConfigMap');
export const secretsIn = (objects: KubeObject[]): ISecret[] =>
  ofKind<ISecret>(objects, 'v1', 'Secret');

export function podSpecOf(workload: Workload): IPodSpec | undefined {
  return workload.spec?.template.spec;
}

export function podLabelsOf(workload: Workload): Labels {
  return workload.spec?.template.metadata?.labels ?? {};
}

/** Every container of the pod, init containers included. */
export function containersOf(workload: Workload): IContainer[] {
  const spec = podSpecOf(workload);
  return [...(spec?.initContainers ?? []), ...(spec?.containers ?? [])];
}

export function isApplicationService(workload: Workload): boolean {
  return workload.metadata?.labels?.['app.kubernetes.io/component'] === SERVICE_COMPONENT;
}

export function selects(selector: Labels, labels: Labels): boolean {
  const entries = Object.entries(selector);
  return entries.length > 0 && entries.every(([key, value]) => labels[key] === value);
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

/** Literal env values and ConfigMap-backed ones, by name, as the container would see them. */
export function resolvedEnv(container: IContainer, configMaps: IConfigMap[]): Map<string, string> {
  const env = new Map<string, string>();
  for (const source of container.envFrom ?? []) {
    const data = configMaps.find((c) => nameOf(c) === source.configMapRef?.name)?.data ?? {};
    for (const [key, value] of Object.entries(data)) env.set(`${source.prefix ?? ''}${key}`, value);
  }
  for (const variable of container.env ?? []) {
    const ref = variable.valueFrom?.configMapKeyRef;
    if (variable.value !== undefined) {
      env.set(variable.name, variable.value);
    } else if (ref) {
      const value = configMaps.find((c) => nameOf(c) === ref.name)?.data?.[ref.key];
      if (value !== undefined) env.set(variable.name, value);
    }
  }
  return env;
}
