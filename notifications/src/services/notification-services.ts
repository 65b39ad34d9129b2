import type { Listener } from '@taskforge/common';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { NotificationsConfig } from '../config';
import { createMailer } from '../email/mailer';
import { notificationsListeners } from '../events/listeners';
import { NotificationJobs } from '../jobs/notification-jobs';
import { runDigest, type DigestFrequency } from '../jobs/run-digest';
import { sendAccountEmail } from '../jobs/send-account-email';
import { scanDueSoon } from '../jobs/scan-due-soon';
import { sendNotificationEmail, type EmailDeps } from '../jobs/send-notification-email';
import { LiveFeed } from '../live/live-feed';
import { StreamHub } from '../live/stream-hub';
import { countSends, type EmailKind } from '../metrics';
import { forgetUser } from './forget-user';
import { Inbox } from './inbox';
import { Notifier } from './notifier';
import { UnreadCounter } from './unread-counter';

/**
 * Events the listeners handle at once. Events about different tasks, users and teams go side
 * by side (each entity's in turn, see `EventConsumer`): one at a time, every database round trip
 * of one event held up all the others.
 */
export const CONSUMER_CONCURRENCY = 8;

export interface NotificationServicesOptions {
  config: NotificationsConfig;
  logger: Logger;
  /** For counters, the live stream and stream slots (fails fast while Redis is down). */
  redis: Redis;
  /** Namespaces every Redis key of this service (each test file has its own). */
  redisPrefix: string;
}

/**
 * Everything behind the API and the listeners, wired once per process: the unread counters, the
 * live stream and this pod's SSE hub, the notifier, the mail queue and its worker.
 */
export class NotificationServices {
  readonly counter: UnreadCounter;
  readonly live: LiveFeed;
  readonly hub: StreamHub;
  readonly inbox: Inbox;
  readonly notifier: Notifier;
  readonly jobs: NotificationJobs;
  readonly email: EmailDeps;
  private readonly jobsConnection: Redis;
  private readonly closeMailer: () => void;

  constructor(private readonly options: NotificationServicesOptions) {
    const { config, logger, redis, redisPrefix } = options;
    this.counter = new UnreadCounter(redis, redisPrefix, config.UNREAD_COUNT_TTL_SECONDS);
    this.live = new LiveFeed(redis, redisPrefix, config.SSE_BACKLOG);
    this.hub = new StreamHub({
      redis,
      prefix: redisPrefix,
      logger,
      heartbeatMs: config.SSE_HEARTBEAT_MS,
      retryMs: config.SSE_RETRY_MS,
      maxStreamsPerUser: config.SSE_MAX_STREAMS_PER_USER,
    });
    this.inbox = new Inbox(this.counter, this.live);

    // BullMQ's commands wait for Redis instead of failing (its workers need that).
    this.jobsConnection = new Redis(config.REDIS_URL, { maxRetriesPerRequest: null });
    this.jobsConnection.on('error', (err) => logger.warn({ err }, 'redis (jobs) error'));
    this.jobs = new NotificationJobs({
      connection: this.jobsConnection,
      prefix: `${redisPrefix}:bull`,
      attempts: config.EMAIL_ATTEMPTS,
      backoffMs: config.EMAIL_BACKOFF_MS,
      logger,
    });
    this.notifier = new Notifier({
      counter: this.counter,
      live: this.live,
      enqueueEmail: (id) => this.jobs.enqueueEmail(id),
    });

    const mailer = createMailer(config);
    this.closeMailer = () => mailer.close();
    this.email = { send: mailer.send, publicUrl: config.PUBLIC_URL };
  }

  listeners(): Listener[] {
    return notificationsListeners({
      notifier: this.notifier,
      enqueueAccountMail: (mail) => this.jobs.enqueueAccountMail(mail),
      forgetUser: (userId) => this.forgetUser(userId),
    });
  }

  forgetUser(userId: string) {
    return forgetUser({ jobs: this.jobs, live: this.live, counter: this.counter }, userId);
  }

  sendNotificationEmail(notificationId: string) {
    return sendNotificationEmail(this.emailOf('notification'), notificationId);
  }

  runDigest(frequency: DigestFrequency, now?: Date) {
    return runDigest(this.emailOf('digest'), frequency, now);
  }

  /** The email dependencies, counting what they send as `kind`. */
  private emailOf(kind: EmailKind): EmailDeps {
    return { ...this.email, send: countSends(kind, this.email.send) };
  }

  scanDueSoon(now?: Date) {
    return scanDueSoon(this.notifier, now);
  }

  /** Starts reading the live stream and, unless told otherwise, the job worker and schedules. */
  async start(options: { worker?: boolean; schedule?: boolean } = {}): Promise<void> {
    await this.hub.start();
    if (options.schedule ?? true)
      await this.jobs.schedule(this.options.config.DUE_SOON_SCAN_EVERY_MS);
    if (options.worker ?? true) {
      this.jobs.start({
        email: (id) => this.sendNotificationEmail(id),
        accountMail: (mail) => sendAccountEmail(this.emailOf(mail.kind), mail),
        digest: (frequency) => this.runDigest(frequency),
        dueSoon: () => this.scanDueSoon(),
      });
    }
  }

  async stop(): Promise<void> {
    await this.hub.stop();
    await this.jobs.close();
    this.closeMailer();
    await this.jobsConnection.quit();
  }
}
