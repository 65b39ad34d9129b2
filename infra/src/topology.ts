import { APPS, TRACE_COLLECTOR, type App, type EnvVar } from '@taskforge/topology';
import type { IContainer } from 'kubernetes-models/v1/Container';
import type { IEnvVar } from 'kubernetes-models/v1/EnvVar';
import { envNamesOf, OWN_IMAGE_PREFIX } from './checks';
import { INGRESS_CONTROLLER, servicesReachedBy } from './connections';
import {
  configMapsIn,
  findContainerPort,
  idOf,
  imageName,
  nameOf,
  podLabelsOf,
  podSpecOf,
  resolvedEnv,
  secretsIn,
  selects,
  servicesIn,
  workloadsIn,
  type KubeObject,
  type Workload,
} from './kube';
import type { Build } from './skaffold';

/*
 * The manifests and skaffold.yaml hold what @taskforge/topology says of each service and the
 * client: written by hand, as Kubernetes YAML, and checked here against the one description
 * every other tool reads, so a service added, renamed or given a variable in one place and not
 * the other fails a test.
 */

const COMPONENT_LABEL = 'app.kubernetes.io/component';

/** The setting that turns a service's tracing on, pointing it at the trace collector. */
export const TRACE_ENDPOINT_VARIABLE = 'OTEL_EXPORTER_OTLP_ENDPOINT';

/** The database a MongoDB URL names: `mongodb://host:27017,host2:27017/<database>?…`. */
function databaseOf(url: string): string | undefined {
  return /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*\/([^/?#]+)/i.exec(url)?.[1];
}

/** How the Deployment sets a variable agrees with where the topology says its value comes from. */
function sourceProblem(app: App, variable: EnvVar, set: IEnvVar): string | undefined {
  const { from } = variable;
  const secret = set.valueFrom?.secretKeyRef;
  const config = set.valueFrom?.configMapKeyRef;
  switch (from.kind) {
    case 'port':
      return set.value === String(app.containerPort)
        ? undefined
        : `is ${set.value ?? 'not a value'}, not the container port ${app.containerPort}`;
    case 'value':
      return set.value === from.value ? undefined : `is ${set.value}, not ${from.value}`;
    case 'secret':
      return secret?.name === from.secret ? undefined : `must come from the Secret ${from.secret}`;
    case 'setting': {
      const key = from.key ?? variable.name;
      if (secret) return `is a setting, not a secret (Secret ${secret.name})`;
      return config && config.key !== key
        ? `reads the ConfigMap key ${config.key}, not ${key}`
        : undefined;
    }
    case 'store':
      return undefined;
  }
}

function containerProblems(
  app: App,
  workload: Workload,
  container: IContainer,
  objects: KubeObject[],
  external: KubeObject[],
): string[] {
  const where = `${idOf(workload)} (${app.name} in the topology)`;
  const problems: string[] = [];
  const component = workload.metadata?.labels?.[COMPONENT_LABEL];
  if (component !== app.component) {
    problems.push(`${where}: ${COMPONENT_LABEL} is ${component}, not ${app.component}`);
  }
  const image = imageName(container.image ?? '');
  if (image !== app.image) problems.push(`${where}: runs ${image}, not ${app.image}`);
  if (!findContainerPort([container], app.containerPort)) {
    problems.push(`${where}: has no container port ${app.containerPort}`);
  }

  const probes = { readiness: container.readinessProbe, liveness: container.livenessProbe };
  for (const [kind, probe] of Object.entries(probes)) {
    const wanted = app.health[kind as keyof typeof probes];
    if (probe?.httpGet?.path !== wanted) {
      problems.push(`${where}: ${kind} probe GETs ${probe?.httpGet?.path}, not ${wanted}`);
    }
  }

  const listed = new Set(app.env.map((variable) => variable.name));
  const names = envNamesOf(container, objects);
  for (const variable of app.env) {
    if (!names.has(variable.name)) {
      if (!variable.optional && !variable.localOnly)
        problems.push(`${where}: does not set ${variable.name}`);
      continue;
    }
    if (variable.localOnly) {
      problems.push(`${where}: sets ${variable.name}, which only the local stack sets`);
      continue;
    }
    const set = container.env?.find((v) => v.name === variable.name);
    const problem = set && sourceProblem(app, variable, set);
    if (problem) problems.push(`${where}: ${variable.name} ${problem}`);
  }
  for (const name of names) {
    if (!listed.has(name))
      problems.push(`${where}: sets ${name}, which the topology does not list`);
  }

  // Its connection URLs lead to its own stores' Services, each named, and to nothing else; a
  // set OTEL_EXPORTER_OTLP_ENDPOINT to the trace collector as well.
  const reached = servicesReachedBy(container, objects, external).filter(
    (service) => service !== INGRESS_CONTROLLER.name,
  );
  const tracing = app.env.some(
    (variable) => variable.name === TRACE_ENDPOINT_VARIABLE && names.has(variable.name),
  );
  const hosts = [
    ...app.stores.flatMap((store) => (store.host ? [store.host] : [])),
    ...(tracing ? [TRACE_COLLECTOR.name] : []),
  ].sort();
  if (reached.join(' ') !== hosts.join(' ')) {
    problems.push(`${where}: reaches ${reached.join(', ')}, not its stores ${hosts.join(', ')}`);
  }
  const env = resolvedEnv(container, configMapsIn(objects), secretsIn(external));
  const database = app.stores.find((store) => store.kind === 'mongo')?.database;
  for (const variable of app.env) {
    if (variable.from.kind !== 'store' || variable.from.store !== 'mongo') continue;
    const named = databaseOf(env.get(variable.name) ?? '');
    if (named !== database) {
      problems.push(`${where}: ${variable.name} names the database ${named}, not ${database}`);
    }
  }
  return problems;
}

function serviceProblems(app: App, workload: Workload, objects: KubeObject[]): string[] {
  const service = servicesIn(objects).find((s) => nameOf(s) === app.name);
  if (!service) return [`Service/${app.name} (in the topology) does not exist`];
  const where = `Service/${app.name}`;
  const problems: string[] = [];
  if (!selects(service.spec?.selector ?? {}, podLabelsOf(workload))) {
    problems.push(`${where}: does not select the pods of ${idOf(workload)}`);
  }
  const port = service.spec?.ports?.find((p) => p.port === app.containerPort);
  const containers = podSpecOf(workload)?.containers ?? [];
  const target = port && findContainerPort(containers, port.targetPort ?? port.port);
  if (target?.containerPort !== app.containerPort) {
    problems.push(
      `${where}: needs port ${app.containerPort} onto container port ${app.containerPort}`,
    );
  }
  return problems;
}

/**
 * Each app of the topology has its Deployment (its component label, image, container port,
 * probes, exactly the variables the topology lists (an optional one may be left out, one only
 * the local stack sets must be), each set
 * from the kind of source it names, connection URLs to its own stores only, and to the trace
 * collector where tracing is set) and its Service on that port; and every Deployment of a
 * service or of the web client is in the topology. `external`: the Secrets made outside the
 * manifests (create-secrets.sh), which hold the URLs of some stores.
 */
export function topologyProblems(
  objects: KubeObject[],
  external: KubeObject[],
  apps: readonly App[] = APPS,
): string[] {
  const deployments = workloadsIn(objects).filter((w) => w.kind === 'Deployment');
  const problems = apps.flatMap((app) => {
    const workload = deployments.find((w) => nameOf(w) === app.name);
    if (!workload) return [`Deployment/${app.name} (in the topology) does not exist`];
    const container = podSpecOf(workload)?.containers.find((c) => c.name === app.name);
    if (!container) return [`${idOf(workload)}: has no container ${app.name}`];
    return [
      ...containerProblems(app, workload, container, objects, external),
      ...serviceProblems(app, workload, objects),
    ];
  });
  for (const workload of deployments) {
    const component = workload.metadata?.labels?.[COMPONENT_LABEL];
    const ours = component === 'service' || component === 'web';
    if (ours && !apps.some((app) => app.name === nameOf(workload))) {
      problems.push(`${idOf(workload)}: a ${component} the topology does not list`);
    }
  }
  return problems;
}

/**
 * A skaffold build makes each app's image from its workspace's Dockerfile, with the repository
 * root as context (the Dockerfiles copy common and the workspace from there), and no image of
 * ours that the topology does not list.
 */
export function skaffoldTopologyProblems(build: Build, apps: readonly App[] = APPS): string[] {
  const artifacts = build.artifacts ?? [];
  const problems = apps.flatMap((app) => {
    const artifact = artifacts.find((a) => a.image === app.image);
    if (!artifact) return [`no artifact builds ${app.image} (${app.name})`];
    const dockerfile = `${app.workspace}/Dockerfile`;
    const found: string[] = [];
    if ((artifact.context ?? '.') !== '.') {
      found.push(`artifact ${app.image}: context ${artifact.context}, not the repository root`);
    }
    if (artifact.docker?.dockerfile !== dockerfile) {
      found.push(`artifact ${app.image}: builds ${artifact.docker?.dockerfile}, not ${dockerfile}`);
    }
    return found;
  });
  for (const artifact of artifacts) {
    const ours = artifact.image.startsWith(OWN_IMAGE_PREFIX);
    if (ours && !apps.some((app) => app.image === artifact.image)) {
      problems.push(`artifact ${artifact.image}: an image the topology does not list`);
    }
  }
  return problems;
}
