import { Queue, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { DIGEST_FREQUENCIES, type DigestFrequency } from './run-digest';

export const QUEUE_NAME = 'notifications';

/** When each digest goes out (UTC): on the hour; daily at 07:00; weekly on Monday at 07:00. */
export const DIGEST_SCHEDULES: Record<DigestFrequency, string> = {
  hourly: '0 * * * *',
  daily: '0 7 * * *',
  weekly: '0 7 * * 1',
};

/** A password reset link to mail: the token is the link's secret (single use, expiring). */
export interface PasswordResetMail {
  resetId: string;
  /** Whose account it is (absent from jobs queued before it was kept). */
  userId?: string;
  email: string;
  token: string;
  expiresAt: string;
}

export interface JobHandlers {
  email(notificationId: string): Promise<unknown>;
  passwordReset(mail: PasswordResetMail): Promise<unknown>;
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

/** How long a password reset job (and the user's set naming it) may live: longer than a link. */
const PASSWORD_RESET_JOB_TTL_SECONDS = 3600;
const REMOVE_BATCH = 50;

const emailJobId = (notificationId: string) => `email-${notificationId}`;
const passwordResetJobId = (resetId: string) => `password-reset-${resetId}`;

type JobData = {
  notificationId?: string;
  frequency?: DigestFrequency;
  passwordReset?: PasswordResetMail;
};

/**
 * The BullMQ queue behind emails and the periodic work: one job per notification email (retried
 * with exponential backoff, so a failing SMTP server never holds up the inbox), and job
 * schedulers for the digests and the due-soon scan (one run per period across every pod).
 */
export class NotificationJobs {
  readonly queue: Queue<JobData>;
  private worker: Worker<JobData> | undefined;

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
  }

  /** One job per notification: adding it again while it exists is a no-op. */
  async enqueueEmail(notificationId: string): Promise<void> {
    await this.queue.add('email', { notificationId }, { jobId: emailJobId(notificationId) });
  }

  /**
   * One job per reset. It holds the link's token, so it leaves Redis as soon as it is sent (and
   * within the hour when it never could be); a redelivered event within the hour after that adds
   * nothing (deduplicated by the reset, longer than any link lives). The user's set of reset jobs
   * is what finds them again when their account is deleted.
   */
  async enqueuePasswordReset(mail: PasswordResetMail): Promise<void> {
    if (mail.userId) {
      const key = this.passwordResetsKey(mail.userId);
      await this.options.connection
        .multi()
        .sadd(key, passwordResetJobId(mail.resetId))
        .expire(key, PASSWORD_RESET_JOB_TTL_SECONDS)
        .exec();
    }
    await this.queue.add(
      'password-reset',
      { passwordReset: mail },
      {
        jobId: passwordResetJobId(mail.resetId),
        deduplication: {
          id: passwordResetJobId(mail.resetId),
          ttl: PASSWORD_RESET_JOB_TTL_SECONDS * 1000,
        },
        removeOnComplete: true,
        removeOnFail: { age: PASSWORD_RESET_JOB_TTL_SECONDS },
      },
    );
  }

  /**
   * Removes what waits to be mailed to a deleted user: the email jobs of their notifications and
   * their password reset jobs. A job running right now cannot be removed; it checks the account
   * itself before it sends (see the job handlers).
   */
  async removeJobsOf(userId: string, notificationIds: string[]): Promise<void> {
    const key = this.passwordResetsKey(userId);
    const resets = await this.options.connection.smembers(key);
    const jobIds = [...notificationIds.map(emailJobId), ...resets];
    for (let i = 0; i < jobIds.length; i += REMOVE_BATCH) {
      await Promise.all(jobIds.slice(i, i + REMOVE_BATCH).map((id) => this.queue.remove(id)));
    }
    await this.options.connection.del(key);
  }

  private passwordResetsKey(userId: string): string {
    return `${this.options.prefix}:password-resets:{${userId}}`;
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
    await this.worker?.close();
    await this.queue.close();
  }

  private process(handlers: JobHandlers, job: Job<JobData>): Promise<unknown> {
    const { notificationId, frequency, passwordReset } = job.data;
    if (job.name === 'email' && notificationId) return handlers.email(notificationId);
    if (job.name === 'password-reset' && passwordReset) {
      return handlers.passwordReset(passwordReset);
    }
    if (job.name === 'digest' && frequency) return handlers.digest(frequency);
    if (job.name === 'due-soon') return handlers.dueSoon();
    throw new Error(`Unknown job ${job.name}`);
  }
}
