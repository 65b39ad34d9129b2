import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { launchStack, type LaunchedStack } from '../launch';
import type { StackState } from '../leftovers';
import { isPortOpen } from '../ports';
import { ASSIGNMENT, assignTask, listeningAddresses } from './tracing-support';

const root = join(__dirname, '..', '..', '..');

/** The parts of Jaeger's query API answer (/api/traces) that the test reads. */
interface JaegerSpan {
  traceID: string;
  spanID: string;
  operationName: string;
  processID: string;
  references: Array<{ refType: 'CHILD_OF' | 'FOLLOWS_FROM'; traceID: string; spanID: string }>;
  tags: Array<{ key: string; value: unknown }>;
}
interface JaegerTrace {
  traceID: string;
  spans: JaegerSpan[];
  processes: Record<string, { serviceName: string }>;
}

const serviceOf = (trace: JaegerTrace, span: JaegerSpan) =>
  trace.processes[span.processID]?.serviceName;

interface Assignment {
  trace: JaegerTrace;
  /** tasks' server span of the PATCH. */
  server: JaegerSpan;
  /** notifications' span of the task.updated it handled. */
  consumer: JaegerSpan;
  /** The consumer span's parent, its parent's parent, ... as far as the trace holds them. */
  ancestors: JaegerSpan[];
}

function assignmentIn(trace: JaegerTrace): Assignment | undefined {
  const server = trace.spans.find(
    (span) =>
      serviceOf(trace, span) === 'tasks' &&
      span.operationName === ASSIGNMENT &&
      span.tags.some((tag) => tag.key === 'span.kind' && tag.value === 'server'),
  );
  const consumer = trace.spans.find(
    (span) =>
      serviceOf(trace, span) === 'notifications' && span.operationName === 'task.updated process',
  );
  if (!server || !consumer) return undefined;
  const byId = new Map(trace.spans.map((span) => [span.spanID, span]));
  const ancestors: JaegerSpan[] = [];
  for (let span: JaegerSpan | undefined = consumer; span;) {
    // A consumer span's parent is also its link: Jaeger shows the two as one FOLLOWS_FROM.
    const parent: JaegerSpan['references'][number] | undefined =
      span.references.find((ref) => ref.refType === 'CHILD_OF') ??
      span.references.find((ref) => ref.refType === 'FOLLOWS_FROM');
    span = parent && byId.get(parent.spanID);
    if (span) ancestors.push(span);
  }
  return { trace, server, consumer, ancestors };
}

describe('npm run stack -- --tracing', () => {
  const dir = mkdtempSync(join(tmpdir(), 'taskforge-tracing-'));
  let stack: LaunchedStack | undefined;

  beforeAll(async () => {
    stack = await launchStack({ root, dir, args: ['--tracing'] });
  }, 300_000);

  afterAll(async () => {
    await stack?.stop();
    rmSync(dir, { recursive: true, force: true });
  }, 90_000);

  /** Traces of tasks' assignment route, newest first, as Jaeger's API answers. */
  async function assignmentTraces(tracesUrl: string): Promise<JaegerTrace[]> {
    const query = new URL('/api/traces', tracesUrl);
    query.searchParams.set('service', 'tasks');
    query.searchParams.set('operation', ASSIGNMENT);
    query.searchParams.set('lookback', '1h');
    query.searchParams.set('limit', '20');
    const res = await fetch(query);
    expect(res.status).toBe(200);
    return ((await res.json()) as { data: JaegerTrace[] | null }).data ?? [];
  }

  it('shows one assignment as one trace: the PATCH in tasks, the consumer in notifications', async () => {
    const { url, natsUrl, tracesUrl } = stack!;
    expect(tracesUrl).toMatch(/^http:\/\/localhost:\d+\/$/);
    expect(Number(new URL(tracesUrl!).port)).toBe(stack!.base + 18);

    await assignTask(url, natsUrl);

    // The services export in batches (every few seconds): tasks' publish span may come after
    // notifications' consumer span. Wait for the whole chain, PATCH to consumer, in one trace.
    let found: Assignment | undefined;
    let seen: JaegerTrace[] = [];
    for (const started = Date.now(); !found && Date.now() - started < 30_000;) {
      seen = await assignmentTraces(tracesUrl!);
      found = seen.map(assignmentIn).find((chain) => chain?.ancestors.includes(chain.server));
      if (!found) await sleep(500);
    }
    if (!found) {
      const summary = seen.map((trace) =>
        trace.spans.map((span) => ({
          span: `${serviceOf(trace, span)}: ${span.operationName} ${span.spanID}`,
          references: span.references.map((ref) => `${ref.refType} ${ref.spanID}`),
        })),
      );
      throw new Error(`no assignment trace reached notifications: ${JSON.stringify(summary)}`);
    }

    const { server, consumer, ancestors } = found;
    expect(consumer.traceID).toBe(server.traceID);
    // The consumer's parent is tasks' publish span, whose context the message carried (and
    // which it links to); the publish's, the request that recorded the event.
    const [publish] = ancestors;
    expect([publish && serviceOf(found.trace, publish), publish?.operationName]).toEqual([
      'tasks',
      'task.updated publish',
    ]);
    expect(
      consumer.references.some(
        (ref) => ref.refType === 'FOLLOWS_FROM' && ref.spanID === publish?.spanID,
      ),
    ).toBe(true);
  }, 120_000);

  it('runs Jaeger on loopback alone, and stops it on Ctrl-C', async () => {
    const state = JSON.parse(readFileSync(join(dir, 'stack.json'), 'utf8')) as StackState;
    const jaeger = state.processes?.find((p) => p.name === 'jaeger');
    expect(jaeger).toBeDefined();
    const addresses = listeningAddresses(jaeger!.pid);
    // The UI, OTLP over HTTP and gRPC, Jaeger's own collector and query gRPC, the admin server.
    expect(addresses.length).toBeGreaterThanOrEqual(2);
    expect(addresses.filter((address) => address !== '0100007F')).toEqual([]);

    expect(await stack!.stop()).toBe(0);
    expect(await isPortOpen(Number(new URL(stack!.tracesUrl!).port))).toBe(false);
    expect(() => process.kill(jaeger!.pid, 0)).toThrow();
  }, 60_000);
});
