import type { Logger } from 'pino';
import type { EventEnvelope } from '../events/envelope';

export interface PendingEvent {
  event: EventEnvelope;
  /** Events of one group (one document, or one table) are published in order. */
  group: string;
  markPublished(): Promise<void>;
}

export interface OutboxStore {
  fetchPending(limit: number): Promise<PendingEvent[]>;
}

export interface EventSink {
  publish(event: EventEnvelope): Promise<unknown>;
}

export interface RelayOptions {
  store: OutboxStore;
  publisher: EventSink;
  logger: Logger;
  /** How often to look for events left behind (a crash, a failed publish). */
  pollIntervalMs?: number;
  batchSize?: number;
  maxBackoffMs?: number;
}

/**
 * Publishes what the domain writes left in the outbox. `kick()` after a write publishes at once;
 * the poll picks up anything a crash or an outage left behind. A publish that fails is retried
 * with backoff; the event id is the `Nats-Msg-Id`, so a publish repeated after a crash between
 * publish and mark is dropped by JetStream, not delivered twice.
 */
export class OutboxRelay {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = true;
  private failures = 0;
  private readonly pollIntervalMs: number;
  private readonly batchSize: number;
  private readonly maxBackoffMs: number;

  constructor(private readonly options: RelayOptions) {
    this.pollIntervalMs = options.pollIntervalMs ?? 1000;
    this.batchSize = options.batchSize ?? 200;
    this.maxBackoffMs = options.maxBackoffMs ?? 30_000;
  }

  start(): void {
    this.stopped = false;
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }

  /** Asks for a run now (after a write). Runs never overlap. */
  kick(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.schedule(0);
  }

  /** Publishes everything pending now; returns how many events went out. */
  async flush(): Promise<number> {
    let total = 0;
    for (;;) {
      const published = await this.publishBatch();
      total += published;
      if (published < this.batchSize) return total;
    }
  }

  private schedule(delay: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.run(), delay);
    this.timer.unref();
  }

  private run(): void {
    if (this.running || this.stopped) return;
    this.running = (async () => {
      let delay = this.pollIntervalMs;
      try {
        do {
          this.again = false;
          await this.flush();
        } while (this.again && !this.stopped);
        this.failures = 0;
      } catch (err) {
        this.failures += 1;
        delay = Math.min(this.pollIntervalMs * 2 ** this.failures, this.maxBackoffMs);
        this.options.logger.warn({ err, retryInMs: delay }, 'outbox relay failed; will retry');
      } finally {
        this.running = undefined;
        if (!this.stopped) this.schedule(this.again ? 0 : delay);
      }
    })();
  }

  private async publishBatch(): Promise<number> {
    const pending = await this.options.store.fetchPending(this.batchSize);
    const blocked = new Set<string>();
    let published = 0;
    let firstError: unknown;
    for (const item of pending) {
      if (blocked.has(item.group)) continue;
      try {
        await this.options.publisher.publish(item.event);
        await item.markPublished();
        published += 1;
      } catch (err) {
        // Later events of the same entity must wait, or consumers would see them out of order.
        blocked.add(item.group);
        firstError ??= err;
      }
    }
    if (firstError) throw firstError;
    return published;
  }
}
