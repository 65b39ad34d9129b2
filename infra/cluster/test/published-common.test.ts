import { execFile, spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { publishBuiltCommon, startRegistry, type Registry } from '@taskforge/release/registry';
import { Person, kubectl, kubectlJson, type PodList } from './ingress';

/*
 * A service image built on a published @taskforge/common rather than the workspace's: the
 * workspace's common is published to a registry on loopback, tickets' Dockerfile builds its
 * runtime-published target against that version, and the image replaces tickets in the cluster
 * and serves through the ingress. The deployment is rolled back afterwards.
 */

jest.setTimeout(600_000);

const run = promisify(execFile);
const REPO = resolve(__dirname, '..', '..', '..');
const DIR = process.env.TF_CLUSTER_DIR ?? '/var/tmp/taskforge-cluster';
const DOCKER_HOST = `unix://${DIR}/docker.sock`;
const version = `0.0.0-cluster.${Date.now().toString(36)}`;
const image = `taskforge/tickets:published-${version}`;

let registry: Registry;
let replaced = false;

/** `docker save IMAGE | ctr images import -`: the image into the node, as the deploy does. */
function importIntoNode(name: string): Promise<void> {
  return new Promise((done, fail) => {
    const save = spawn('docker', ['save', name], {
      env: { ...process.env, DOCKER_HOST },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const load = spawn(
      'ctr',
      [
        '--address',
        `${DIR}/containerd/containerd.sock`,
        '--namespace',
        'k8s.io',
        'images',
        'import',
        '-',
      ],
      { stdio: ['pipe', 'ignore', 'inherit'] },
    );
    save.stdout.pipe(load.stdin);
    save.on('exit', (code) => code === 0 || fail(new Error(`docker save exited with ${code}`)));
    load.on('exit', (code) => (code === 0 ? done() : fail(new Error(`ctr exited with ${code}`))));
  });
}

beforeAll(async () => {
  registry = await startRegistry();
  await publishBuiltCommon(registry, version);
});

afterAll(async () => {
  if (replaced) {
    await kubectl('rollout', 'undo', 'deploy/tickets');
    await kubectl('rollout', 'status', 'deploy/tickets', '--timeout=150s');
  }
  await registry?.stop();
});

it('runs tickets built on a published @taskforge/common, through the ingress', async () => {
  await run(
    'docker',
    [
      'build',
      '--quiet',
      '--network',
      'host',
      '-f',
      'tickets/Dockerfile',
      '--target',
      'runtime-published',
      '--build-arg',
      `COMMON_VERSION=${version}`,
      '--build-arg',
      `NPM_REGISTRY=${registry.url}`,
      '-t',
      image,
      '.',
    ],
    {
      cwd: REPO,
      env: { ...process.env, DOCKER_HOST, DOCKER_BUILDKIT: '0' },
      maxBuffer: 64 * 1024 * 1024,
    },
  );
  await importIntoNode(image);

  replaced = true;
  await kubectl('set', 'image', 'deploy/tickets', `tickets=${image}`);
  await kubectl('rollout', 'status', 'deploy/tickets', '--timeout=150s');
  const pods = (
    await kubectlJson<PodList>('get', 'pods', '-l', 'app.kubernetes.io/name=tickets')
  ).items.filter((p) => p.status.phase === 'Running' && !p.metadata.deletionTimestamp);
  expect(pods.map((p) => p.spec.containers[0]?.image)).toEqual([image]);

  // The package in the image is the published one, not a link into a workspace.
  const pod = pods[0]!.metadata.name;
  const installed = await kubectl(
    'exec',
    pod,
    '--',
    'node',
    '-p',
    "const p = require.resolve('@taskforge/common/package.json'); `${p} ${require(p).version}`",
  );
  expect(installed.trim()).toBe(
    `/srv/tickets/node_modules/@taskforge/common/package.json ${version}`,
  );

  const seller = new Person(`seller-${Date.now().toString(36)}@taskforge.test`);
  await seller.signUp();
  const ticket = await seller.expect<{ id: string; title: string; price: number }>(
    'POST',
    '/api/tickets',
    { title: 'Published common', price: 25 },
    201,
  );
  const read = await seller.expect<{ id: string; title: string }>(
    'GET',
    `/api/tickets/${ticket.id}`,
    undefined,
    200,
  );
  expect(read).toMatchObject({ id: ticket.id, title: 'Published common' });
});
