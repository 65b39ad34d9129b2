import { traceContextOf, withTraceFrom, type TraceCarrier } from '@taskforge/common';
import { Queue, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { countJobsOf } from '../metrics';
import { DIGEST_FREQUENCIES, type DigestFrequency } from './run-digest';

export const QUEUE_NAME = 'notifications';

/** When each digest goes out (UTC): on the hour; daily at 07:00; weekly on Monday at 07:00. */
export const DIGEST_SCHEDULES: Record<DigestFrequency, string> = {
  hourly: '0 * * * *',
  daily: '0 7 * * *',
  weekly: '0 7 * * 1',
};

/** What an account mail is about: each kind has its template (see `sendAccountEmail`). */
export type AccountMailKind = 'password-reset' | 'email-verification';

/**
 * A single-use, expiring link mailed about the account itself, whatever the user's notification
 * settings: the token is the link's secret.
 */
export interface AccountMail {
  kind: AccountMailKind;
  /** The reset's or the verification's id: one job, and one email, per link. */
  id: string;
  /** Whose account it is (absent from reset jobs queued before it was kept). */
  userId?: string;
  /** Where the link goes: for a change of address, the new one. */
  email: string;
  token: string;
  expiresAt: string;
}

export interface JobHandlers {
  email(notificationId: string): Promise<unknown>;
  accountMail(mail: AccountMail): Promise<unknown>;
  digest(frequency: DigestFrequency): Promise<unknown>;
  dueSoon(): Promise<unknown>;
}

export interface NotificationJobsOptions {
  /** BullMQ's connection: commands must wait for Redis (`maxRetriesPerRequest: null`). */
  connection: Redis;
  prefix: string;
  attempts: number;
  backoffMs: number;
  logger: Logger;
}

/**
 * How long an account mail's job (and the user's set naming it) may live: as long as the stream
 * keeps its event (the catalogue's `streamTtl`), so that no redelivery comes after it, and longer
 * than the link works.
 */
const ACCOUNT_MAIL_TTL_SECONDS: Record<AccountMailKind, number> = {
  'password-reset': 3600,
  'email-verification': 25 * 3600,
};
const ACCOUNT_MAIL_KINDS = Object.keys(ACCOUNT_MAIL_TTL_SECONDS) as AccountMailKind[];
const REMOVE_BATCH = 50;

const emailJobId = (notificationId: string) => `email-${notificationId}`;
const accountMailJobId = (mail: AccountMail) => `${mail.kind}-${mail.id}`;

type JobData = {
  notificationId?: string;
  frequency?: DigestFrequency;
  accountMail?: AccountMail;
  /** A reset queued before account mails shared one shape (gone within the hour). */
  passwordReset?: Omit<AccountMail, 'kind' | 'id'> & { resetId: string };
  /** The trace of the event that queued the email (absent when untraced, or queued before). */
  trace?: TraceCarrier;
};

/** The active trace, for a job's data; nothing when there is none. */
function traceOfCaller(): Pick<JobData, 'trace'> {
  const trace = traceContextOf();
  return trace.traceparent ? { trace } : {};
}

/**
 * The BullMQ queue behind emails and the periodic work: one job per notification email (retried
 * with exponential backoff, so a failing SMTP server never holds up the inbox), and job
 * schedulers for the digests and the due-soon scan (one run per period across every pod).
 */
export class NotificationJobs {
  readonly queue: Queue<JobData>;
  private worker: Worker<JobData> | undefined;
  private readonly stopCounting: () => void;

  constructor(private readonly options: NotificationJobsOptions) {
    this.queue = new Queue<JobData>(QUEUE_NAME, {
      connection: options.connection,
      prefix: options.prefix,
      defaultJobOptions: {
        attempts: options.attempts,
        backoff: { type: 'exponential', delay: options.backoffMs },
        removeOnComplete: { age: 24 * 3600, count: 1000 },
        removeOnFail: { age: 7 * 24 * 3600 },
      },
    });
    this.stopCounting = countJobsOf(this.queue);
  }

  /** One job per notification: adding it again while it exists is a no-op. */
  async enqueueEmail(notificationId: string): Promise<void> {
    await this.queue.add(
      'email',
      { notificationId, ...traceOfCaller() },
      { jobId: emailJobId(notificationId) },
    );
  }

  /**
   * One job per link. It holds the link's token, so it leaves Redis as soon as it is sent (and
   * within its kind's TTL when it never could be); a redelivered event within the TTL after that
   * adds nothing (deduplicated by the link). The user's set of the kind's jobs is what finds them
   * again when their account is deleted.
   */
  async enqueueAccountMail(mail: AccountMail): Promise<void> {
    const jobId = accountMailJobId(mail);
    const ttlSeconds = ACCOUNT_MAIL_TTL_SECONDS[mail.kind];
    if (mail.userId) {
      const key = this.accountMailsKey(mail.kind, mail.userId);
      await this.options.connection.multi().sadd(key, jobId).expire(key, ttlSeconds).exec();
    }
    await this.queue.add(
      mail.kind,
      { accountMail: mail, ...traceOfCaller() },
      {
        jobId,
        deduplication: { id: jobId, ttl: ttlSeconds * 1000 },
        removeOnComplete: true,
        removeOnFail: { age: ttlSeconds },
      },
    );
  }

  /**
   * Removes what waits to be mailed to a deleted user: the email jobs of their notifications and
   * their account mails (reset and verification links). A job running right now cannot be
   * removed; it checks the account itself before it sends (see the job handlers).
   */
  async removeJobsOf(userId: string, notificationIds: string[]): Promise<void> {
    const { connection } = this.options;
    const keys = ACCOUNT_MAIL_KINDS.map((kind) => this.accountMailsKey(kind, userId));
    const accountMails = await Promise.all(keys.map((key) => connection.smembers(key)));
    const jobIds = [...notificationIds.map(emailJobId), ...accountMails.flat()];
    for (let i = 0; i < jobIds.length; i += REMOVE_BATCH) {
      await Promise.all(jobIds.slice(i, i + REMOVE_BATCH).map((id) => this.queue.remove(id)));
    }
    await connection.del(...keys);
  }

  /** The user's jobs of one kind; the braces keep all of a user's sets in one hash slot. */
  private accountMailsKey(kind: AccountMailKind, userId: string): string {
    return `${this.options.prefix}:${kind}s:{${userId}}`;
  }

  /** Creates or updates the schedulers; safe to run from every pod at start-up. */
  async schedule(dueSoonEveryMs: number): Promise<void> {
    for (const frequency of DIGEST_FREQUENCIES) {
      await this.queue.upsertJobScheduler(
        `digest-${frequency}`,
        { pattern: DIGEST_SCHEDULES[frequency], tz: 'UTC' },
        { name: 'digest', data: { frequency } },
      );
    }
    await this.queue.upsertJobScheduler(
      'due-soon',
      { every: dueSoonEveryMs },
      { name: 'due-soon', data: {} },
    );
  }

  start(handlers: JobHandlers, concurrency = 4): void {
    const { logger } = this.options;
    this.worker = new Worker<JobData>(QUEUE_NAME, (job) => this.process(handlers, job), {
      connection: this.options.connection,
      prefix: this.options.prefix,
      concurrency,
    });
    this.worker.on('failed', (job, err) => {
      const last = job ? job.attemptsMade >= (job.opts.attempts ?? 1) : false;
      logger[last ? 'error' : 'warn'](
        { err, job: job?.name, jobId: job?.id, attempt: job?.attemptsMade },
        last ? 'job failed for good' : 'job failed; will retry',
      );
    });
    this.worker.on('error', (err) => logger.warn({ err }, 'job worker error'));
  }

  async close(): Promise<void> {
    this.stopCounting();
    await this.worker?.close();
    await this.queue.close();
  }

  private process(handlers: JobHandlers, job: Job<JobData>): Promise<unknown> {
    const { notificationId, frequency, accountMail, passwordReset, trace } = job.data;
    // An email continues the trace of the event that queued it, linked to it: a retry an hour
    // later still shows what it was for.
    const send = (fn: () => Promise<unknown>) =>
      withTraceFrom(trace, 'email send', fn, {
        kind: 'consumer',
        link: true,
        attributes: {
          'messaging.system': 'bullmq',
          'messaging.destination.name': QUEUE_NAME,
          'messaging.message.id': job.id ?? '',
          'bullmq.job.name': job.name,
          'bullmq.job.attempt': job.attemptsMade + 1,
        },
      });
    if (job.name === 'email' && notificationId) return send(() => handlers.email(notificationId));
    if (accountMail && job.name === accountMail.kind) {
      return send(() => handlers.accountMail(accountMail));
    }
    if (job.name === 'password-reset' && passwordReset) {
      const { resetId, ...link } = passwordReset;
      return send(() => handlers.accountMail({ kind: 'password-reset', id: resetId, ...link }));
    }
    if (job.name === 'digest' && frequency) return handlers.digest(frequency);
    if (job.name === 'due-soon') return handlers.dueSoon();
    throw new Error(`Unknown job ${job.name}`);
  }
}
