import {
  SPAN_KIND,
  startOtlpReceiver,
  waitFor,
  type ReceivedSpan,
} from '@taskforge/common/testing';
import { call } from '../support/http';
import { eventually, startSuite, teamOfTwo, type Person, type Suite } from '../support/suite';

/*
 * The five services as real processes, exporting their spans to a collector of this test's
 * own: one assignment (PATCH /api/tasks/:id) is one trace from tasks' request through its
 * outbox and JetStream to notifications' listener, its writes and the live push to the
 * assignee's open stream.
 */
let receiver: Awaited<ReturnType<typeof startOtlpReceiver>>;
let suite: Suite;
let admin: Person;
let member: Person;
let teamId: string;

beforeAll(async () => {
  receiver = await startOtlpReceiver();
  suite = await startSuite(
    {
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint,
      // Spans leave each process a tenth of a second after they end, not five seconds.
      OTEL_BSP_SCHEDULE_DELAY: '100',
      // Their log lines, to find the trace's ids in them (a 2xx request is logged at debug).
      LOG_LEVEL: 'debug',
    },
    {},
    { keepOutput: true },
  );
  ({ admin, member, teamId } = await teamOfTwo(suite, 'Traced'));
  // Both services know the member before the assignment.
  await eventually(
    () => call(suite.urls.tasks, 'GET', `/api/tasks?teamId=${teamId}`, { cookie: member.cookie }),
    200,
  );
  await eventually(
    () => call(suite.urls.notifications, 'GET', '/api/notifications', { cookie: member.cookie }),
    200,
  );
}, 240_000);

afterAll(async () => {
  await suite?.stop();
  await receiver?.stop();
});

function inTrace(traceId: string): ReceivedSpan[] {
  return receiver.spans.filter((span) => span.traceId === traceId);
}

it('follows one assignment as one trace across tasks and notifications', async () => {
  const created = await call<{ id: string }>(suite.urls.tasks, 'POST', '/api/tasks', {
    cookie: admin.cookie,
    body: { teamId, title: 'Follow me' },
  });
  expect(created.status).toBe(201);
  const taskId = created.body.id;

  // The assignee has the inbox open: the notification is pushed down this stream.
  const controller = new AbortController();
  const stream = await fetch(`${suite.urls.notifications}/api/notifications/stream`, {
    headers: { cookie: member.cookie, accept: 'text/event-stream' },
    signal: controller.signal,
  });
  expect(stream.status).toBe(200);
  const reader = stream.body!.getReader();
  // Every message of the stream, as it comes: board changes of the team, notifications, counts.
  let text = '';
  const reading = (async () => {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      text += Buffer.from(value).toString('utf8');
    }
  })().catch(() => undefined);
  // The assignee's notification of this task, which only the assignment sends.
  const notified = () =>
    text.split('\n\n').some((m) => m.includes('event: notification') && m.includes(taskId));

  try {
    const assigned = await call(suite.urls.tasks, 'PATCH', `/api/tasks/${taskId}`, {
      cookie: admin.cookie,
      body: { assigneeId: member.id },
    });
    expect(assigned.status).toBe(200);
    await waitFor(notified, { timeoutMs: 20_000 });
  } finally {
    controller.abort();
    await reading;
  }

  // tasks' server span of the PATCH is where the trace starts.
  const patch = await waitFor(() =>
    receiver.spans.find(
      (s) =>
        s.service === 'tasks' &&
        s.kind === SPAN_KIND.server &&
        s.attributes['http.request.method'] === 'PATCH' &&
        String(s.attributes['url.path'] ?? s.attributes['http.target'] ?? '').includes(taskId),
    ),
  );
  expect(patch.parentSpanId).toBe('');
  // Named by the route it matched, not the URL.
  expect(patch.name).toBe('PATCH /api/tasks/:id');
  expect(patch.attributes['http.route']).toBe('/api/tasks/:id');
  const traceId = patch.traceId;

  // Every part of the trip, in that one trace, each a child of the one before.
  const spans = await waitFor(
    () => {
      const all = inTrace(traceId);
      // Each process exports its spans as they end, in batches: wait for the last of each part.
      const has = (service: string, name: string) =>
        all.some((s) => s.service === service && s.name === name);
      const done =
        has('tasks', 'task.updated publish') &&
        has('notifications', 'task.updated process') &&
        has('notifications', 'sse write');
      return done ? all : undefined;
    },
    { timeoutMs: 20_000 },
  ).catch(() => {
    // Say what the trace did hold, which is what tells where it broke off.
    const held = inTrace(traceId).map((s) => `${s.service}: ${s.name}`);
    throw new Error(`the trace is not whole; it holds:\n${held.join('\n')}`);
  });
  const byId = new Map(spans.map((s) => [s.spanId, s]));
  const ancestors = (span: ReceivedSpan): ReceivedSpan[] => {
    const chain: ReceivedSpan[] = [];
    for (let up = byId.get(span.parentSpanId); up; up = byId.get(up.parentSpanId)) chain.push(up);
    return chain;
  };

  const publish = spans.find((s) => s.service === 'tasks' && s.name === 'task.updated publish');
  expect(publish?.kind).toBe(SPAN_KIND.producer);
  expect(ancestors(publish!)).toContain(patch);

  const processed = spans.find(
    (s) => s.service === 'notifications' && s.name === 'task.updated process',
  );
  expect(processed?.kind).toBe(SPAN_KIND.consumer);
  expect(processed?.parentSpanId).toBe(publish?.spanId);
  expect(processed?.links).toEqual([{ traceId, spanId: publish?.spanId }]);
  expect(processed?.attributes['messaging.consumer.group.name']).toBe('notifications');

  // The listener's writes (the document store, Redis) belong to the event's span.
  const underProcess = spans.filter((s) => ancestors(s).includes(processed!));
  const system = (s: ReceivedSpan) => s.attributes['db.system.name'] ?? s.attributes['db.system'];
  expect(underProcess.some((s) => s.service === 'notifications' && system(s) === 'mongodb')).toBe(
    true,
  );
  expect(underProcess.some((s) => system(s) === 'redis')).toBe(true);

  // The push to the open stream is the end of the same trace.
  const push = spans.find((s) => s.service === 'notifications' && s.name === 'sse write');
  expect(ancestors(push!)).toContain(processed);

  // The log lines point at the trace: tasks' line of the request carries its ids, and its
  // request id still.
  const logLines = (name: 'tasks' | 'notifications') =>
    suite
      .output(name)
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  const requestLine = logLines('tasks').find(
    (l) =>
      (l.req as { url?: string } | undefined)?.url === `/api/tasks/${taskId}` &&
      (l.req as { method?: string }).method === 'PATCH',
  );
  expect(requestLine).toMatchObject({ trace_id: traceId });
  expect(requestLine?.req).toHaveProperty('id');
  expect(spans.map((s) => s.spanId)).toContain(requestLine?.span_id);

  // And the trace ends: nothing that runs later (the relay's next polls, say) joins it.
  const count = inTrace(traceId).length;
  await new Promise((resolve) => setTimeout(resolve, 2500));
  expect(inTrace(traceId).map((s) => `${s.service}: ${s.name}`)).toHaveLength(count);
});
