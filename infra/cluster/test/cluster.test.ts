import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  EventStream,
  Person,
  kubectl,
  kubectlJson,
  send,
  waitFor,
  type PodList,
  type Reply,
} from './ingress';

/*
 * The suite as deployed by `npm run cluster -- up` (the dev overlay, images built from the
 * project's Dockerfiles, stand-ins for the registry's images), seen from outside: through the
 * ingress with the suite's host name, and with kubectl. The browser's day is the client's
 * end-to-end test, which `npm run cluster -- test` runs against the same ingress after this.
 */

jest.setTimeout(180_000);

const run = Date.now().toString(36);
const ada = new Person(`ada-${run}@taskforge.test`);
const bob = new Person(`bob-${run}@taskforge.test`);
let teamId: string;
let bobId: string;

interface Task {
  id: string;
  title: string;
  assigneeId: string | null;
}
interface Notification {
  id: string;
  kind: string;
  taskId: string | null;
  title: string;
}

async function pods(): Promise<PodList['items']> {
  return (await kubectlJson<PodList>('get', 'pods')).items;
}

const ready = (pod: PodList['items'][number]) =>
  pod.status.phase === 'Running' &&
  pod.status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') === true;

/** Every notification of a person, following the pages. */
async function inbox(person: Person): Promise<Notification[]> {
  const all: Notification[] = [];
  let path: string | undefined = '/api/notifications?limit=100';
  while (path) {
    const reply: Reply<Notification[]> = await person.call<Notification[]>('GET', path);
    expect(reply.status).toBe(200);
    all.push(...reply.body);
    const link: string | string[] | undefined = reply.headers.link;
    path = typeof link === 'string' ? /<([^>]+)>; rel="next"/.exec(link)?.[1] : undefined;
  }
  return all;
}

async function newTask(title: string, assigneeId?: string): Promise<Task> {
  return ada.expect<Task>('POST', '/api/tasks', { teamId, title, assigneeId }, 201);
}

describe('the suite on a real cluster', () => {
  it('runs every pod Ready, none restarted, from images that were never pulled', async () => {
    const all = await pods();
    expect(all.length).toBeGreaterThanOrEqual(15);
    expect(all.filter((p) => !ready(p)).map((p) => p.metadata.name)).toEqual([]);
    const restarted = all.flatMap((p) =>
      (p.status.containerStatuses ?? [])
        .filter((c) => c.restartCount > 0)
        .map((c) => `${p.metadata.name}/${c.name}: ${c.restartCount}`),
    );
    expect(restarted).toEqual([]);
    // The kubelet reports each pull it starts; containerd has no registry to pull from.
    const events = await kubectlJson<{ items: { reason: string; message: string }[] }>(
      'get',
      'events',
      '--all-namespaces',
    );
    expect(
      events.items.filter((e) => /^(Pulling|Failed|BackOff|ErrImagePull)$/.test(e.reason)),
    ).toEqual([]);
  });

  it('runs the images that the deploying tool built: skaffold run, or kubectl apply -k', async () => {
    const dir = process.env.TF_CLUSTER_DIR ?? '/var/tmp/taskforge-cluster';
    const by = readFileSync(join(dir, 'deployed-by'), 'utf8').trim();
    const deployments = await kubectlJson<{
      items: {
        metadata: { name: string; labels?: Record<string, string> };
        spec: { template: { spec: { containers: { name: string; image: string }[] } } };
      }[];
    }>('get', 'deployments');
    const services = ['auth', 'tickets', 'teams', 'tasks', 'notifications', 'client'];
    for (const service of services) {
      const deployment = deployments.items.find((d) => d.metadata.name === service);
      const image = deployment?.spec.template.spec.containers[0]?.image ?? '';
      if (by === 'skaffold') {
        // skaffold tags what it built (the commit) and labels what it deployed with its run.
        expect(image).toMatch(new RegExp(`^taskforge/${service}:(?!latest$)[\\w.-]+$`));
        expect(deployment?.metadata.labels?.['skaffold.dev/run-id']).toBeTruthy();
      } else {
        expect(by).toBe('kubectl');
        expect(image).toMatch(new RegExp(`^taskforge/${service}(:latest)?$`));
      }
    }
  });

  it('gives no pod a route out of the cluster bridge', async () => {
    // /proc/net/route of a service's pod: destinations in hex, 00000000 is a default route.
    const routes = await kubectl('exec', 'deploy/tasks', '--', 'cat', '/proc/net/route');
    const destinations = routes
      .trim()
      .split('\n')
      .slice(1)
      .map((line) => line.split(/\s+/)[1]);
    expect(destinations.length).toBeGreaterThan(0);
    expect(destinations).not.toContain('00000000');
  });

  it('runs every service on the Node.js that versions.env names', async () => {
    const versions = readFileSync(join(__dirname, '..', '..', '..', 'versions.env'), 'utf8');
    const wanted = /^NODE_VERSION=(.+)$/m.exec(versions)?.[1];
    expect(wanted).toMatch(/^\d+\.\d+\.\d+$/);
    const services = ['auth', 'tickets', 'teams', 'tasks', 'notifications', 'client'];
    const running = await Promise.all(
      services.map(
        async (s) =>
          `${s} ${(await kubectl('exec', `deploy/${s}`, '--', 'node', '--version')).trim()}`,
      ),
    );
    expect(running).toEqual(services.map((s) => `${s} v${wanted}`));
  });

  it('serves the API through the ingress: sign up, a team, a member, an assigned task', async () => {
    await ada.signUp();
    bobId = (await bob.signUp()).id;
    const me = await bob.expect<{ currentUser: { id: string } | null }>(
      'GET',
      '/api/users/currentuser',
      undefined,
      200,
    );
    expect(me.currentUser?.id).toBe(bobId);
    teamId = (
      await ada.expect<{ id: string }>('POST', '/api/teams', { name: `Cluster ${run}` }, 201)
    ).id;
    // teams learns of Bob through user.created; until then his address is unknown to it.
    await ada.expect('POST', `/api/teams/${teamId}/members`, { email: bob.email }, 201);
    // Bob sees the team once tasks has the membership (through team.member.added).
    await bob.expect('GET', `/api/tasks?teamId=${teamId}`, undefined, 200);
  });

  it('delivers an assignment to the assignee live over SSE and by mail', async () => {
    const stream = await EventStream.open(bob, '/api/notifications/stream');
    try {
      const task = await newTask(`Assigned live ${run}`, bobId);
      const live = await stream.waitFor(
        (e) => e.event === 'notification' && e.data.includes(task.id),
      );
      expect(JSON.parse(live.data)).toMatchObject({ kind: 'task.assigned', taskId: task.id });
      // Mailpit catches the mail the notifications service sends (its API, through the ingress).
      await waitFor(
        'the mail in Mailpit',
        async () => {
          const found = await send<{ messages: { Subject: string }[] }>(
            'GET',
            `http://mail.taskforge.test/api/v1/search?query=${encodeURIComponent(`to:${bob.email}`)}`,
          );
          return (
            found.status === 200 && found.body.messages.some((m) => m.Subject.includes(task.title))
          );
        },
        60_000,
      );
    } finally {
      stream.close();
    }
  });

  it('uploads an attachment to the S3 server through its presigned URL and downloads it', async () => {
    const task = await newTask(`With a file ${run}`);
    const bytes = Buffer.from(`%PDF-1.4 uploaded through the cluster's ingress ${run}\n`);
    const started = await ada.expect<{ uploadId: string; uploadUrl: string }>(
      'POST',
      `/api/tasks/${task.id}/attachments`,
      { name: 'notes.pdf', size: bytes.length, mimetype: 'application/pdf' },
      201,
    );
    expect(new URL(started.uploadUrl).host).toBe('taskforge.test');
    const put = await send('PUT', started.uploadUrl, {
      headers: { 'Content-Type': 'application/pdf' },
      body: bytes,
    });
    expect(put.status).toBe(200);
    const confirmed = await ada.expect<{ id: string }>(
      'POST',
      `/api/tasks/${task.id}/attachments/${started.uploadId}/confirm`,
      undefined,
      201,
    );
    // A member who did not upload it downloads the same bytes.
    const link = await bob.expect<{ url: string }>(
      'GET',
      `/api/tasks/${task.id}/attachments/${confirmed.id}`,
      undefined,
      200,
    );
    const download = await send('GET', link.url);
    expect(download.status).toBe(200);
    expect(download.text).toBe(bytes.toString());
  });

  it("renders the client's pages on the server with the signed-in person's data", async () => {
    const task = await newTask(`Rendered on the server ${run}`);
    const board = await send('GET', `/teams/${teamId}`, { headers: { Cookie: ada.cookie } });
    expect(board.status).toBe(200);
    expect(board.headers['content-type']).toMatch(/text\/html/);
    expect(board.text).toContain(task.title);
    const signedOut = await send('GET', '/');
    expect(signedOut.status).toBe(200);
    expect(signedOut.text).not.toContain(task.title);
  });

  it('loses no request while a service is restarted under traffic', async () => {
    const task = await newTask(`Read during a rollout ${run}`);
    const failures: string[] = [];
    let served = 0;
    let stop = false;
    const began = Date.now();
    const elapsed = () => `at ${((Date.now() - began) / 1000).toFixed(1)} s:`;
    // Bob reads while Ada works on: two readers, 4 requests a second each, stay well within
    // the rate limit (600 a minute per person) over the whole rollout.
    const reader = async () => {
      while (!stop) {
        try {
          const reply = await bob.call('GET', `/api/tasks/${task.id}`);
          if (reply.status === 200) served += 1;
          else failures.push(`${elapsed()} ${reply.status} ${reply.text.slice(0, 120)}`);
        } catch (err) {
          failures.push(`${elapsed()} ${String(err)}`);
        }
        await sleep(250);
      }
    };
    const readers = Array.from({ length: 2 }, reader);
    await sleep(1_000);
    await kubectl('rollout', 'restart', 'deploy/tasks');
    await kubectl('rollout', 'status', 'deploy/tasks', '--timeout=150s');
    // The old pod's preStop delay and shutdown end after the rollout reports done.
    await sleep(12_000);
    stop = true;
    await Promise.all(readers);
    expect(failures).toEqual([]);
    expect(served).toBeGreaterThan(40);
  });

  it('applies every event once when the consuming pod is killed mid-burst', async () => {
    const burst = 30;
    const titles = Array.from({ length: burst }, (_, i) => `Burst ${run} ${i}`);
    const created: Task[] = [];
    let killed = false;
    for (const [i, title] of titles.entries()) {
      created.push(await newTask(title, bobId));
      if (i === burst / 3) {
        // SIGKILL, no grace: whatever notifications held unacknowledged is redelivered.
        await kubectl(
          'delete',
          'pod',
          '-l',
          'app.kubernetes.io/name=notifications',
          '--grace-period=0',
          '--force',
          '--wait=false',
        );
        killed = true;
      }
    }
    expect(killed).toBe(true);
    const ids = new Set(created.map((t) => t.id));
    let perTask = new Map<string, number>();
    await waitFor(
      'a notification for every task of the burst',
      async () => {
        perTask = new Map();
        for (const n of await inbox(bob).catch(() => [])) {
          if (n.taskId && ids.has(n.taskId))
            perTask.set(n.taskId, (perTask.get(n.taskId) ?? 0) + 1);
        }
        return perTask.size === burst;
      },
      150_000,
    );
    // Let redeliveries land, then count again: each task's assignment is in the inbox once.
    await sleep(5_000);
    perTask = new Map();
    for (const n of await inbox(bob)) {
      if (n.taskId && ids.has(n.taskId)) perTask.set(n.taskId, (perTask.get(n.taskId) ?? 0) + 1);
    }
    expect([...perTask.values()].filter((count) => count !== 1)).toEqual([]);
    expect(perTask.size).toBe(burst);
    await waitFor('the new notifications pod Ready', async () =>
      (await pods()).some(
        (p) => p.metadata.labels?.['app.kubernetes.io/name'] === 'notifications' && ready(p),
      ),
    );
  });
});
