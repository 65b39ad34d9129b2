import { APPS, type App } from '@taskforge/topology';
import type { IContainer } from 'kubernetes-models/v1/Container';
import { nameOf, podSpecOf, workloadsIn, type KubeObject } from '../kube';
import { renderKustomization } from '../kustomize';
import { K8S_BASE, K8S_DEV, K8S_PROD, REPO_ROOT } from '../repo';
import { printedSecrets } from '../secrets';
import { effectiveConfigs, loadSkaffold, type Artifact } from '../skaffold';
import { skaffoldTopologyProblems, topologyProblems } from '../topology';

const external = printedSecrets();
const [skaffold] = loadSkaffold(REPO_ROOT);
if (!skaffold) throw new Error('skaffold.yaml is empty');

function container(objects: KubeObject[], name: string): IContainer {
  const owner = workloadsIn(objects).find((w) => nameOf(w) === name);
  const found = owner && podSpecOf(owner)?.containers[0];
  if (!found) throw new Error(`no container in ${name}`);
  return found;
}

/** The topology with one app changed. */
function changed(name: string, change: (app: App) => App): App[] {
  return APPS.map((app) => (app.name === name ? change(app) : app));
}

describe.each([
  { target: 'base', dir: K8S_BASE },
  { target: 'overlays/dev', dir: K8S_DEV },
  { target: 'overlays/prod', dir: K8S_PROD },
])('the $target manifests', ({ dir }) => {
  it('agree with the topology: each app its Deployment and Service, image, port, variables', () => {
    expect(topologyProblems(renderKustomization(dir), external)).toEqual([]);
  });
});

describe.each(effectiveConfigs(skaffold))('skaffold profile $profile', ({ build }) => {
  it('builds the image of each app of the topology from its Dockerfile, and no other', () => {
    expect(skaffoldTopologyProblems(build)).toEqual([]);
  });
});

describe('the topology check catches', () => {
  it('a variable the Deployment does not set, and one the topology does not list', () => {
    const objects = renderKustomization(K8S_BASE);
    const tasks = container(objects, 'tasks');
    tasks.env = tasks.env?.filter((variable) => variable.name !== 'S3_BUCKET');
    container(objects, 'auth').env?.push({ name: 'DEBUG', value: '1' });
    expect(topologyProblems(objects, external)).toEqual([
      'Deployment/auth (auth in the topology): sets DEBUG, which the topology does not list',
      'Deployment/tasks (tasks in the topology): does not set S3_BUCKET',
    ]);
  });

  it('a variable set from another source than the topology names', () => {
    const objects = renderKustomization(K8S_BASE);
    const env = container(objects, 'tasks').env ?? [];
    const set = (name: string) => env.find((variable) => variable.name === name)!;
    set('S3_BUCKET').value = 'another-bucket';
    set('JWT_PUBLIC_KEY').valueFrom = { secretKeyRef: { name: 's3-credentials', key: 'x' } };
    set('S3_PUBLIC_ENDPOINT').valueFrom = {
      configMapKeyRef: { name: 'taskforge-config', key: 'NATS_URL' },
    };
    set('PORT').value = '8080';
    expect(topologyProblems(objects, external)).toEqual(
      expect.arrayContaining([
        'Deployment/tasks (tasks in the topology): S3_BUCKET is another-bucket, not taskforge-attachments',
        'Deployment/tasks (tasks in the topology): JWT_PUBLIC_KEY must come from the Secret jwt-public-key',
        'Deployment/tasks (tasks in the topology): S3_PUBLIC_ENDPOINT reads the ConfigMap key NATS_URL, not PUBLIC_URL',
        'Deployment/tasks (tasks in the topology): PORT is 8080, not the container port 3000',
      ]),
    );
  });

  it("another image, container port, probe path or database, and a store that is not the app's", () => {
    const objects = renderKustomization(K8S_BASE);
    const tickets = container(objects, 'tickets');
    tickets.image = 'taskforge/tasks';
    tickets.readinessProbe!.httpGet!.path = '/ready';
    const mongo = tickets.env!.find((variable) => variable.name === 'MONGO_URL')!;
    mongo.value = 'mongodb://tasks-mongo:27017/tasks';
    const notifications = container(objects, 'notifications');
    notifications.ports![0]!.containerPort = 8080;
    expect(topologyProblems(objects, external)).toEqual(
      expect.arrayContaining([
        'Deployment/tickets (tickets in the topology): runs taskforge/tasks, not taskforge/tickets',
        'Deployment/tickets (tickets in the topology): readiness probe GETs /ready, not /readyz',
        'Deployment/tickets (tickets in the topology): reaches nats, redis, tasks-mongo, not its stores nats, redis, tickets-mongo',
        'Deployment/tickets (tickets in the topology): MONGO_URL names the database tasks, not tickets',
        'Deployment/notifications (notifications in the topology): has no container port 3000',
        'Service/notifications: needs port 3000 onto container port 3000',
      ]),
    );
  });

  it('a trace endpoint from a Secret, or one that leads elsewhere than the trace collector', () => {
    const objects = renderKustomization(K8S_DEV);
    const endpoint = (name: string) =>
      container(objects, name).env!.find((v) => v.name === 'OTEL_EXPORTER_OTLP_ENDPOINT')!;
    endpoint('tasks').valueFrom = { secretKeyRef: { name: 's3-credentials', key: 'x' } };
    const teams = endpoint('teams');
    delete teams.valueFrom;
    teams.value = 'http://mailpit:8025';
    expect(topologyProblems(objects, external)).toEqual([
      'Deployment/teams (teams in the topology): reaches mailpit, nats, redis, teams-postgres, not its stores jaeger, nats, redis, teams-postgres',
      'Deployment/tasks (tasks in the topology): OTEL_EXPORTER_OTLP_ENDPOINT is a setting, not a secret (Secret s3-credentials)',
      'Deployment/tasks (tasks in the topology): reaches nats, redis, s3, tasks-mongo, not its stores jaeger, nats, redis, s3, tasks-mongo',
    ]);
  });

  it('a Deployment that sends its traces to Zipkin, which only the local stack runs', () => {
    const objects = renderKustomization(K8S_BASE);
    container(objects, 'tasks').env!.push({ name: 'OTEL_TRACES_EXPORTER', value: 'zipkin' });
    expect(topologyProblems(objects, external)).toEqual([
      'Deployment/tasks (tasks in the topology): sets OTEL_TRACES_EXPORTER, which only the local stack sets',
    ]);
  });

  it('an app without its Deployment or Service, and a Deployment the topology does not list', () => {
    const objects = renderKustomization(K8S_BASE).filter(
      (o) => !(o.kind === 'Service' && nameOf(o) === 'teams'),
    );
    const renamed = changed('auth', (app) => ({ ...app, name: 'accounts' }));
    expect(topologyProblems(objects, external, renamed)).toEqual([
      'Deployment/accounts (in the topology) does not exist',
      'Service/teams (in the topology) does not exist',
      'Deployment/auth: a service the topology does not list',
    ]);
  });

  it('a skaffold build that misses an image, builds it from elsewhere, or builds one more', () => {
    const artifacts: Artifact[] = structuredClone(skaffold.build?.artifacts ?? []);
    const build = {
      artifacts: [
        ...artifacts
          .filter((artifact) => artifact.image !== 'taskforge/teams')
          .map((artifact) =>
            artifact.image === 'taskforge/tasks'
              ? { ...artifact, docker: { ...artifact.docker, dockerfile: 'Dockerfile' } }
              : artifact,
          ),
        { image: 'taskforge/reports', context: '.' },
      ],
    };
    expect(skaffoldTopologyProblems(build)).toEqual([
      'no artifact builds taskforge/teams (teams)',
      'artifact taskforge/tasks: builds Dockerfile, not tasks/Dockerfile',
      'artifact taskforge/reports: an image the topology does not list',
    ]);
  });
});
