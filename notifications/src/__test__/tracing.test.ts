import { randomBytes } from 'node:crypto';
import { SpanKind } from '@opentelemetry/api';
import { InMemorySpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace';
import { flushTraces } from '@taskforge/common';
import { startTracing, stopTracing } from '@taskforge/common/tracing';
import { waitFor } from '@taskforge/common/testing';
import { liveStreamKey } from '../live/live-feed';
import { Notification } from '../models/notification';
import { buildTask, buildUser, signIn } from '../test/factories';
import { mailWorkerPerFile } from '../test/mail';
import { listen, openStream } from '../test/sse';

const exporter = new InMemorySpanExporter();
startTracing('notifications', { exporter });

const given = mailWorkerPerFile();
const { mailTo } = given;

let server: { url: string; close(): Promise<void> };
beforeAll(async () => {
  server = await listen(given.app);
});
afterAll(async () => {
  await server.close();
  await stopTracing();
});

/** The spans of one trace finished so far. */
async function spansOf(traceId: string): Promise<ReadableSpan[]> {
  await flushTraces();
  return exporter.getFinishedSpans().filter((span) => span.spanContext().traceId === traceId);
}

async function streamingUser() {
  const user = buildUser({ notifications: { frequency: 'immediate' } });
  await given.ctx.publish('user.created', user);
  await given.ctx.settled();
  const stream = await openStream(server.url, { Cookie: signIn(user.id).cookie });
  expect(stream.status).toBe(200);
  return { user, client: stream.client! };
}

describe('traces through notifications', () => {
  afterEach(() => jest.restoreAllMocks());

  it('continues an event’s trace to the SSE write and to the email it queued', async () => {
    const { user, client } = await streamingUser();
    const traceId = randomBytes(16).toString('hex');
    const traceparent = `00-${traceId}-${randomBytes(8).toString('hex')}-01`;
    try {
      await given.ctx.publish('task.created', buildTask({ assigneeId: user.id }), { traceparent });
      await client.next((message) => message.event === 'notification');
      await waitFor(() => mailTo(user.email).length === 1);

      const spans = await waitFor(async () => {
        const all = await spansOf(traceId);
        const names = all.map((span) => span.name);
        return names.includes('email send') && names.includes('sse write') ? all : undefined;
      });
      const handled = spans.find((span) => span.name === 'task.created process')!;
      const childOfHandled = (span: ReadableSpan) =>
        span.parentSpanContext?.spanId === handled.spanContext().spanId;

      const writes = spans.filter((span) => span.name === 'sse write');
      // The notification and the unread count, both written to the browser in the event's trace.
      expect(writes.map((span) => span.attributes['sse.event']).sort()).toEqual([
        'notification',
        'unread-count',
      ]);
      expect(writes.every(childOfHandled)).toBe(true);

      const send = spans.find((span) => span.name === 'email send')!;
      expect(childOfHandled(send)).toBe(true);
      expect(send.kind).toBe(SpanKind.CONSUMER);
      expect(send.links.map((link) => link.context.spanId)).toEqual([handled.spanContext().spanId]);

      const notification = await Notification.findOne({ recipientId: user.id }).lean();
      const job = await given.ctx.services.jobs.queue.getJob(`email-${notification!._id}`);
      expect(job?.data.trace?.traceparent).toMatch(new RegExp(`^00-${traceId}-`));
    } finally {
      client.close();
    }
  });

  it('writes a live message published outside any trace as before, without a span', async () => {
    const { user, client } = await streamingUser();
    try {
      await given.ctx.services.live.publish({
        type: 'unread-count',
        userId: user.id,
        data: { count: 7 },
      });
      const message = await client.next((m) => m.event === 'unread-count' && m.data.includes('7'));

      const [entry] = await given.ctx.redis.xrevrange(
        liveStreamKey(given.ctx.redisPrefix),
        '+',
        '-',
        'COUNT',
        1,
      );
      expect(entry![0]).toBe(message.id);
      expect(entry![1]).toEqual(['m', expect.any(String)]);
      await flushTraces();
      const written = exporter
        .getFinishedSpans()
        .filter(
          (span) => span.name === 'sse write' && span.attributes['sse.event_id'] === message.id,
        );
      expect(written).toEqual([]);
    } finally {
      client.close();
    }
  });
});
