import { Gauge } from 'prom-client';
import { metricsRegistry, sharedWhileReading } from '../middlewares/metrics';
import type { OutboxStore, PendingStats } from './relay';

/** The outboxes this process's relays publish from, read when the metrics are scraped. */
const outboxes = new Set<OutboxStore>();

export function watchOutbox(store: OutboxStore): void {
  outboxes.add(store);
}

export function unwatchOutbox(store: OutboxStore): void {
  outboxes.delete(store);
}

/** Every watched outbox's figures summed, read once for both gauges of a scrape. */
const outboxStats = sharedWhileReading(async (): Promise<PendingStats | undefined> => {
  if (outboxes.size === 0) return undefined;
  try {
    const all = await Promise.all([...outboxes].map((store) => store.pendingStats()));
    let count = 0;
    let oldest: Date | null = null;
    for (const one of all) {
      count += one.count;
      if (one.oldest && (!oldest || one.oldest < oldest)) oldest = one.oldest;
    }
    return { count, oldest };
  } catch {
    // The store is away: no figure rather than a wrong one; /readyz says why.
    return undefined;
  }
});

new Gauge({
  name: 'outbox_pending_events',
  help: 'Events recorded in the outbox and not yet published to JetStream',
  registers: [metricsRegistry],
  async collect() {
    this.reset();
    const stats = await outboxStats();
    if (stats) this.set(stats.count);
  },
});

new Gauge({
  name: 'outbox_oldest_pending_age_seconds',
  help: 'Age of the oldest event in the outbox not yet published (0 when none waits)',
  registers: [metricsRegistry],
  async collect() {
    this.reset();
    const stats = await outboxStats();
    if (stats)
      this.set(stats.oldest ? Math.max(0, (Date.now() - stats.oldest.getTime()) / 1000) : 0);
  },
});
