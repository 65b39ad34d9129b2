import { metricsRegistry } from '@taskforge/common';
import type { Queue } from 'bullmq';
import { Counter, Gauge } from 'prom-client';
import type { SendEmail } from './email/mailer';
import type { AccountMailKind } from './jobs/notification-jobs';

/** What an email is: a notification's own, a digest, or an account link of one kind. */
export type EmailKind = 'notification' | 'digest' | AccountMailKind;

export const sseConnections = new Gauge({
  name: 'sse_connections',
  help: 'Live notification streams (Server-Sent Events) open on this pod',
  registers: [metricsRegistry],
});

const emailsSent = new Counter({
  name: 'emails_sent_total',
  help: 'Emails the SMTP server accepted, by kind',
  labelNames: ['kind'] as const,
  registers: [metricsRegistry],
});

const emailsFailed = new Counter({
  name: 'emails_failed_total',
  help: 'Email sends that failed, by kind (every failed attempt, retried or not)',
  labelNames: ['kind'] as const,
  registers: [metricsRegistry],
});

/** `send`, counting each email it sends or fails to send under `kind`. */
export function countSends(kind: EmailKind, send: SendEmail): SendEmail {
  return async (message) => {
    try {
      await send(message);
    } catch (err) {
      emailsFailed.inc({ kind });
      throw err;
    }
    emailsSent.inc({ kind });
  };
}

const JOB_STATES = ['waiting', 'active', 'delayed', 'failed'] as const;
type JobCounts = Record<(typeof JOB_STATES)[number], number>;
/** A scrape waits no longer than this for Redis. */
const COUNT_TIMEOUT_MS = 1000;

/** The queues counted on scrape. */
const countedQueues = new Set<Queue>();
/** Those whose last count has not come back (Redis slow or away). */
const stillCounting = new Set<Queue>();

/**
 * The queue's counts, or nothing when Redis does not answer in time. BullMQ's connection waits
 * for Redis rather than failing, so a queue still counting is not asked again: scrapes while
 * Redis is away do not pile commands up behind it.
 */
async function countJobs(queue: Queue): Promise<JobCounts | undefined> {
  if (stillCounting.has(queue)) return undefined;
  stillCounting.add(queue);
  const counting = queue
    .getJobCounts(...JOB_STATES)
    .then((counts) => counts as JobCounts)
    .catch(() => undefined)
    .finally(() => stillCounting.delete(queue));
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), COUNT_TIMEOUT_MS);
  });
  try {
    return await Promise.race([counting, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

new Gauge({
  name: 'email_queue_jobs',
  help: 'Jobs of the email queue by state, read from BullMQ when scraped',
  labelNames: ['queue', 'state'] as const,
  registers: [metricsRegistry],
  async collect() {
    // No figure rather than an old one while Redis is away (/readyz says why).
    this.reset();
    await Promise.all(
      [...countedQueues].map(async (queue) => {
        const counts = await countJobs(queue);
        for (const state of counts ? JOB_STATES : []) {
          this.set({ queue: queue.name, state }, counts?.[state] ?? 0);
        }
      }),
    );
  },
});

/** Counts the queue's jobs on every scrape until the returned function is called. */
export function countJobsOf(queue: Queue): () => void {
  countedQueues.add(queue);
  return () => countedQueues.delete(queue);
}
