import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { launchStack, type LaunchedStack } from '../launch';
import type { StackState } from '../leftovers';
import { isPortOpen } from '../ports';
import { ASSIGNMENT, assignTask, listeningAddresses } from './tracing-support';

const root = join(__dirname, '..', '..', '..');

/** The parts of a span in Zipkin's v2 API that the test reads. Zipkin lower-cases names. */
interface ZipkinSpan {
  traceId: string;
  id: string;
  parentId?: string;
  name: string;
  kind?: 'CLIENT' | 'SERVER' | 'PRODUCER' | 'CONSUMER';
  localEndpoint?: { serviceName?: string };
}

/** tasks' PATCH server span and, under it, notifications' span of the task.updated it handled. */
function assignmentIn(
  trace: ZipkinSpan[],
): { server: ZipkinSpan; consumer: ZipkinSpan } | undefined {
  const server = trace.find(
    (span) =>
      span.localEndpoint?.serviceName === 'tasks' &&
      span.name === ASSIGNMENT.toLowerCase() &&
      span.kind === 'SERVER',
  );
  const consumer = trace.find(
    (span) =>
      span.localEndpoint?.serviceName === 'notifications' && span.name === 'task.updated process',
  );
  if (!server || !consumer) return undefined;
  const byId = new Map(trace.map((span) => [span.id, span]));
  for (let span = byId.get(consumer.parentId ?? ''); span; span = byId.get(span.parentId ?? '')) {
    if (span === server) return { server, consumer };
  }
  return undefined;
}

describe('npm run stack -- --tracing=zipkin', () => {
  const dir = mkdtempSync(join(tmpdir(), 'taskforge-zipkin-'));
  let stack: LaunchedStack | undefined;

  beforeAll(async () => {
    stack = await launchStack({ root, dir, args: ['--tracing=zipkin'] });
  }, 300_000);

  afterAll(async () => {
    await stack?.stop();
    rmSync(dir, { recursive: true, force: true });
  }, 90_000);

  it('shows one assignment as one trace in Zipkin, and serves its UI for it', async () => {
    const { url, natsUrl, tracesUrl } = stack!;
    expect(tracesUrl).toBe(`http://localhost:${stack!.base + 18}/zipkin/`);

    await assignTask(url, natsUrl);

    // The services export in batches: wait for the whole chain, PATCH to consumer, in one trace.
    const query = new URL('api/v2/traces', tracesUrl);
    query.searchParams.set('serviceName', 'tasks');
    query.searchParams.set('spanName', ASSIGNMENT.toLowerCase());
    query.searchParams.set('lookback', String(3_600_000));
    let found: ReturnType<typeof assignmentIn>;
    let seen: ZipkinSpan[][] = [];
    for (const started = Date.now(); !found && Date.now() - started < 30_000;) {
      const res = await fetch(query);
      expect(res.status).toBe(200);
      seen = (await res.json()) as ZipkinSpan[][];
      found = seen.map(assignmentIn).find(Boolean);
      if (!found) await sleep(500);
    }
    if (!found) {
      const summary = seen.map((trace) =>
        trace.map((span) => `${span.localEndpoint?.serviceName}: ${span.name} ${span.id}`),
      );
      throw new Error(`no assignment trace reached notifications: ${JSON.stringify(summary)}`);
    }
    expect(found.consumer.traceId).toBe(found.server.traceId);

    // Lens, Zipkin's UI, at its search page and at the trace's own page (the page a click on
    // the trace opens): the same application, whose script is served beside it.
    for (const page of ['', `traces/${found.server.traceId}`]) {
      const res = await fetch(new URL(page, tracesUrl));
      expect([res.status, res.headers.get('content-type')]).toEqual([
        200,
        'text/html; charset=utf-8',
      ]);
      const html = await res.text();
      expect(html).toContain('<title>Zipkin</title>');
      const script = /<script[^>]* src="(\/zipkin\/static\/js\/[^"]+\.js)"/.exec(html)?.[1];
      expect(script).toBeDefined();
      const js = await fetch(new URL(script!, tracesUrl));
      expect([js.status, (await js.arrayBuffer()).byteLength > 100_000]).toEqual([200, true]);
    }
  }, 120_000);

  it('runs Zipkin on loopback alone, and stops it on Ctrl-C', async () => {
    const state = JSON.parse(readFileSync(join(dir, 'stack.json'), 'utf8')) as StackState;
    const zipkin = state.processes?.find((p) => p.name === 'zipkin');
    expect(zipkin).toBeDefined();
    const addresses = listeningAddresses(zipkin!.pid);
    expect(addresses.length).toBeGreaterThanOrEqual(1);
    expect(addresses.filter((address) => address !== '0100007F')).toEqual([]);

    expect(await stack!.stop()).toBe(0);
    expect(await isPortOpen(Number(new URL(stack!.tracesUrl!).port))).toBe(false);
    expect(() => process.kill(zipkin!.pid, 0)).toThrow();
  }, 60_000);
});
