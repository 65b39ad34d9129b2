import { waitFor } from '@taskforge/common/testing';
import request from 'supertest';
import { QUEUE_NAME } from '../jobs/notification-jobs';
import { buildAccountLink, buildTask, buildUser, signIn } from '../test/factories';
import { mailWorkerPerFile } from '../test/mail';
import { listen, openStream } from '../test/sse';

const given = mailWorkerPerFile();
const { mailTo } = given;

let server: { url: string; close(): Promise<void> };
beforeAll(async () => {
  server = await listen(given.app);
});
afterEach(() => {
  given.smtp.failing = false;
});
afterAll(() => server.close());

/**
 * The value of one series on GET /metrics: the one whose labels include `labels` (0 when there
 * is none yet, as for a labelled counter never incremented).
 */
async function metric(name: string, labels: Record<string, string> = {}): Promise<number> {
  const res = await request(given.app).get('/metrics').expect(200);
  for (const line of res.text.split('\n')) {
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const series = new Map<string, string>();
    for (const [, key, value] of (match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) {
      series.set(key!, value!);
    }
    if (series.get('service') !== 'notifications') continue;
    if (Object.entries(labels).every(([key, value]) => series.get(key) === value)) {
      return Number(match[3]);
    }
  }
  return 0;
}

/** Waits until the series reads `expected`. */
async function metricReaches(name: string, labels: Record<string, string>, expected: number) {
  await waitFor(async () => (await metric(name, labels)) === expected, { timeoutMs: 8000 });
}

async function userWithEmail() {
  const user = buildUser({ notifications: { frequency: 'immediate' } });
  await given.ctx.publish('user.created', user);
  await given.ctx.settled();
  return user;
}

describe('GET /metrics', () => {
  it('counts a live stream while it is open, and no more once the browser leaves', async () => {
    expect(await metric('sse_connections')).toBe(0);
    const res = await openStream(server.url, { Cookie: signIn().cookie });
    expect(res.status).toBe(200);
    await metricReaches('sse_connections', {}, 1);

    res.client!.close();
    await metricReaches('sse_connections', {}, 0);
  });

  it('stops counting streams the service ends: a deleted account, a pod stopping', async () => {
    const user = await userWithEmail();
    const deleted = await openStream(server.url, { Cookie: signIn(user.id).cookie });
    const other = await given.ctx.startInstance();
    const otherServer = await listen(other.app);
    const onStoppingPod = await openStream(otherServer.url, { Cookie: signIn().cookie });
    try {
      expect([deleted.status, onStoppingPod.status]).toEqual([200, 200]);
      await metricReaches('sse_connections', {}, 2);

      await given.ctx.publish('user.deleted', { id: user.id, version: 1 });
      await new Promise((resolve) => deleted.client!.response.once('end', resolve));
      await metricReaches('sse_connections', {}, 1);

      await other.services.hub.stop();
      await metricReaches('sse_connections', {}, 0);
    } finally {
      for (const stream of [deleted, onStoppingPod]) stream.client?.close();
      await otherServer.close();
    }
  });

  it('counts each email sent, by kind', async () => {
    const user = await userWithEmail();
    const before = await metric('emails_sent_total', { kind: 'notification' });
    await given.ctx.publish('task.created', buildTask({ assigneeId: user.id }));
    await waitFor(() => mailTo(user.email).length === 1);
    await metricReaches('emails_sent_total', { kind: 'notification' }, before + 1);

    const link = buildAccountLink({ userId: user.id, email: user.email });
    const resets = await metric('emails_sent_total', { kind: 'password-reset' });
    await given.ctx.publish('password-reset.requested', link);
    await waitFor(() => mailTo(user.email).length === 2);
    await metricReaches('emails_sent_total', { kind: 'password-reset' }, resets + 1);
  });

  it('counts every failed attempt while the SMTP server refuses, then the send', async () => {
    const user = await userWithEmail();
    const failedBefore = await metric('emails_failed_total', { kind: 'notification' });
    const sentBefore = await metric('emails_sent_total', { kind: 'notification' });
    given.smtp.failing = true;
    await given.ctx.publish('task.created', buildTask({ assigneeId: user.id }));
    await waitFor(() => given.smtp.refused >= 2);
    expect(await metric('emails_failed_total', { kind: 'notification' })).toBeGreaterThanOrEqual(
      failedBefore + 2,
    );
    expect(await metric('emails_sent_total', { kind: 'notification' })).toBe(sentBefore);

    given.smtp.failing = false;
    await waitFor(() => mailTo(user.email).length === 1);
    await metricReaches('emails_sent_total', { kind: 'notification' }, sentBefore + 1);
  });

  it('shows the email queue’s jobs by state, as BullMQ counts them when scraped', async () => {
    const queue = given.ctx.services.jobs.queue;
    const delayed = { queue: QUEUE_NAME, state: 'delayed' };
    expect(await metric('email_queue_jobs', delayed)).toBe(0);
    const job = await queue.add('due-soon', {}, { delay: 3_600_000 });
    expect(await metric('email_queue_jobs', delayed)).toBe(1);

    await job.remove();
    expect(await metric('email_queue_jobs', delayed)).toBe(0);
    for (const state of ['waiting', 'active', 'failed']) {
      expect(await metric('email_queue_jobs', { queue: QUEUE_NAME, state })).toBe(0);
    }
  });
});
