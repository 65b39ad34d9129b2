import { consumerSettled, eventBus } from '../support/events';
import { call } from '../support/http';
import {
  eventually,
  readEvents,
  startSuite,
  teamOfTwo,
  type Person,
  type Suite,
} from '../support/suite';

/*
 * Two pods of tasks and two of notifications, each pair on one database and one durable
 * consumer, as a Deployment with `replicas: 2` runs them: no lock in any process, only what the
 * document store guarantees (each update of a document atomic, the saves guarded by version).
 * Concurrent writes of one task through both pods all land, each version is published once by
 * one of the two relays, and every event is applied once by one of the two consumers.
 */
let suite: Suite;
let admin: Person;
let member: Person;
let teamId: string;

beforeAll(async () => {
  suite = await startSuite({}, { tasks: 2, notifications: 2 });
  ({ admin, member, teamId } = await teamOfTwo(suite, 'Two pods'));
  for (const pod of suite.pods.tasks) {
    await eventually(
      () => call(pod, 'GET', `/api/tasks?teamId=${teamId}`, { cookie: member.cookie }),
      200,
    );
  }
}, 240_000);

afterAll(async () => {
  await suite?.stop();
});

const createTask = async (pod: string, body: Record<string, unknown>) => {
  const res = await call<{ id: string }>(pod, 'POST', '/api/tasks', {
    cookie: admin.cookie,
    body: { teamId, ...body },
  });
  expect(res.status).toBe(201);
  return res.body.id;
};

it('applies concurrent edits of one task through both pods, each version published once', async () => {
  const [a, b] = suite.pods.tasks as [string, string];
  const id = await createTask(a, { title: 'Shared' });
  const edits: Array<[string, Record<string, unknown>]> = [
    [a, { title: 'Renamed' }],
    [b, { description: 'From the other pod' }],
    [a, { priority: 'high' }],
    [b, { tags: ['two-pods'] }],
    [a, { dueDate: '2031-01-06T09:00:00.000Z' }],
    [b, { status: 'in_progress' }],
  ];
  const answers = await Promise.all(
    edits.map(([pod, body]) =>
      call<{ version: number }>(pod, 'PATCH', `/api/tasks/${id}`, { cookie: admin.cookie, body }),
    ),
  );
  expect(answers.map((r) => r.status)).toEqual(edits.map(() => 200));
  expect(answers.map((r) => r.body.version).sort((x, y) => x - y)).toEqual([1, 2, 3, 4, 5, 6]);

  // Nothing lost: every edit is in, read through either pod.
  for (const pod of [a, b]) {
    const task = await call(pod, 'GET', `/api/tasks/${id}`, { cookie: member.cookie });
    expect(task.body).toMatchObject({
      version: 6,
      title: 'Renamed',
      description: 'From the other pod',
      priority: 'high',
      tags: ['two-pods'],
      dueDate: '2031-01-06T09:00:00.000Z',
      status: 'in_progress',
    });
  }
  // Nothing doubled: one task.updated per version on the stream, whichever relay sent it.
  const updated = await eventuallyEvents('task.updated', id, 6);
  expect(updated.map((e) => e.data.version).sort((x, y) => x - y)).toEqual([1, 2, 3, 4, 5, 6]);
});

it('notifies once per assignment when both consumers of notifications share the work', async () => {
  const [a, b] = suite.pods.tasks as [string, string];
  const ids = await Promise.all(
    Array.from({ length: 20 }, (_, i) =>
      createTask(i % 2 === 0 ? a : b, { title: `Assigned ${i}`, assigneeId: member.id }),
    ),
  );
  const bus = await eventBus(suite.natsUrl);
  try {
    await eventually(async () => {
      const res = await inbox(suite.pods.notifications[1]!);
      return { status: ids.every((id) => res.some((n) => n.taskId === id)) ? 200 : 404 };
    }, 200);
    await consumerSettled(bus, 'notifications');
  } finally {
    await bus.close();
  }
  for (const pod of suite.pods.notifications) {
    const mine = (await inbox(pod)).filter((n) => ids.includes(n.taskId as string));
    expect(mine).toHaveLength(20);
    expect(new Set(mine.map((n) => n.taskId)).size).toBe(20);
    // The counter moved once per notification (the member's inbox also holds being added).
    const unread = await call<{ count: number }>(pod, 'GET', '/api/notifications/unread-count', {
      cookie: member.cookie,
    });
    expect(unread.body.count).toBe((await inbox(pod, '&unread=true')).length);
  }
});

async function inbox(pod: string, filter = '') {
  const res = await call<Array<{ taskId: string | null }>>(
    pod,
    'GET',
    `/api/notifications?limit=50${filter}`,
    { cookie: member.cookie },
  );
  expect(res.status).toBe(200);
  return res.body;
}

async function eventuallyEvents(subject: string, id: string, count: number) {
  let found: Awaited<ReturnType<typeof readEvents>> = [];
  await eventually(async () => {
    found = (await readEvents(suite.natsUrl, subject)).filter((e) => e.data.id === id);
    return { status: found.length >= count ? 200 : 404 };
  }, 200);
  return found;
}
