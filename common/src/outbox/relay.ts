import { context, ROOT_CONTEXT } from '@opentelemetry/api';
import type { Logger } from 'pino';
import type { EventEnvelope } from '../events/envelope';
import { unwatchOutbox, watchOutbox } from './metrics';

export interface PendingEvent {
  event: EventEnvelope;
  /** Events of one group (one document, or one table) are published in order. */
  group: string;
}

/** Where a service's writes leave their events; `P` carries what the store needs to mark them. */
export interface OutboxStore<P extends PendingEvent = PendingEvent> {
  fetchPending(limit: number): Promise<P[]>;
  /** Marks published events as sent, all in one write where the store can. */
  markPublished(items: P[]): Promise<void>;
  /** How many events wait to be published, and when the oldest of them was recorded. */
  pendingStats(): Promise<PendingStats>;
}

export interface PendingStats {
  count: number;
  oldest: Date | null;
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
  /** How many groups publish side by side (each group still in order, one event at a time). */
  concurrency?: number;
  maxBackoffMs?: number;
}

/**
 * Publishes what the domain writes left in the outbox. `kick()` after a write publishes at once;
 * the poll picks up anything a crash or an outage left behind. A publish that fails is retried
 * with backoff; the event id is the `Nats-Msg-Id`, so a publish repeated after a crash between
 * publish and mark is dropped by JetStream, not delivered twice.
 *
 * Each event costs a JetStream round trip and a store write; one after another, a relay under
 * load publishes fewer events per second than the routes record, and the bus falls behind the
 * writes. Groups (entities) are independent, so their events go out side by side, while the
 * events of one group go out in the order they were written, each after the one before it was
 * acknowledged. What a batch published is marked at its end, in one write: a crash before that
 * write republishes those events, which JetStream drops as duplicates.
 */
export class OutboxRelay {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = true;
  private failures = 0;
  private readonly pollIntervalMs: number;
  private readonly batchSize: number;
  private readonly concurrency: number;
  private readonly maxBackoffMs: number;

  constructor(private readonly options: RelayOptions) {
    this.pollIntervalMs = options.pollIntervalMs ?? 1000;
    this.batchSize = options.batchSize ?? 200;
    this.concurrency = options.concurrency ?? 32;
    this.maxBackoffMs = options.maxBackoffMs ?? 30_000;
    // Counted from the start, so what piles up before the relay first runs is seen too.
    watchOutbox(options.store);
  }

  start(): void {
    watchOutbox(this.options.store);
    this.stopped = false;
    this.schedule(0);
  }

  async stop(): Promise<void> {
    unwatchOutbox(this.options.store);
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
    // A run belongs to no request: kick() is called inside one, and a timer keeps the context it
    // was set in, so without this every later poll would join that request's trace for good.
    this.timer = setTimeout(() => context.with(ROOT_CONTEXT, () => this.run()), delay);
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
    const groups = new Map<string, PendingEvent[]>();
    for (const item of pending) {
      const group = groups.get(item.group);
      if (group) group.push(item);
      else groups.set(item.group, [item]);
    }
    const queue = [...groups.values()];
    const sent: PendingEvent[] = [];
    let firstError: unknown;
    const worker = async () => {
      for (let group = queue.shift(); group; group = queue.shift()) {
        for (const item of group) {
          try {
            await this.options.publisher.publish(item.event);
            sent.push(item);
          } catch (err) {
            // Later events of the same entity must wait, or consumers would see them out of order.
            firstError ??= err;
            break;
          }
        }
      }
    };
    await Promise.all(
      Array.from({ length: Math.min(this.concurrency, queue.length) }, () => worker()),
    );
    if (sent.length > 0) await this.options.store.markPublished(sent);
    if (firstError) throw firstError;
    return sent.length;
  }
}
