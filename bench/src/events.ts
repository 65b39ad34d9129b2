import { setTimeout as sleep } from 'node:timers/promises';
import {
  AckPolicy,
  jetstreamManager,
  jetstream,
  RetentionPolicy,
  StorageType,
} from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { inBatches, type BenchData } from './seed';
import { percentile, round } from './load';
import { openSse } from './sse';

const STREAM = 'TASKFORGE_EVENTS';

export interface LatencyResult {
  samples: number;
  lost: number;
  /** Writes that did not answer 2xx (not counted as samples). */
  failedWrites?: number;
  p50Ms: number;
  p99Ms: number;
}

export interface ThroughputResult {
  events: number;
  seconds: number;
  eventsPerS: number;
}

export type Percentiles = Pick<LatencyResult, 'p50Ms' | 'p99Ms'>;

/**
 * Where an assignment's time goes before it reaches the SSE stream (the end-to-end latency),
 * each stage from the PATCH leaving.
 */
export interface StageTimes {
  /** The PATCH answered. */
  answered: Percentiles;
  /** Its `task.updated` on the bus (the outbox relay published it). */
  published: Percentiles;
}

export interface EventsResult {
  /**
   * `backlogSeconds`: how long tasks' relay and notifications took to work through what earlier
   * phases left; `backlogOutbox`: how many of tasks' documents still held unpublished events then.
   */
  endToEnd: LatencyResult & {
    ratePerS: number;
    backlogSeconds?: number;
    backlogOutbox?: number;
    stages?: StageTimes;
  };
  rawLatency: LatencyResult;
  throughput: ThroughputResult & {
    httpWritesPerS: number;
    failedWrites: number;
    /** False when notifications had not acked the whole burst 3 minutes after it began. */
    caughtUp: boolean;
    /**
     * What notifications acked per second after the last write answered, with the CPU no longer
     * shared with the writes: its consumer's own rate. Absent when it had caught up by then.
     */
    drainPerS?: number;
  };
  rawThroughput: ThroughputResult;
}

/**
 * Assigns tasks in turn to the members, each write changing the assignee, and times each one
 * from the PATCH leaving to the notification arriving on that member's SSE stream.
 */
export class Assigner {
  private readonly assignee = new Map<string, string>();
  private readonly pending = new Map<string, number>();
  private next = 0;
  readonly latencies: number[] = [];
  /** Per assignment (same key as `pending`) until its event is seen on the bus: when it was sent. */
  private readonly sentAt = new Map<string, number>();
  private readonly answered: number[] = [];
  private readonly published: number[] = [];
  failures = 0;

  constructor(
    private readonly data: BenchData,
    private readonly tasksUrl: string,
  ) {}

  async openStreams(notificationsUrl: string): Promise<Array<{ close(): void }>> {
    return Promise.all(
      this.data.members.map((member) =>
        openSse(`${notificationsUrl}/api/notifications/stream`, member.cookie, (message) => {
          if (message.event !== 'notification') return;
          const body = JSON.parse(message.data) as { kind?: string; taskId?: string };
          if (body.kind !== 'task.assigned' || !body.taskId) return;
          const key = `${body.taskId}:${member.id}`;
          const sentAt = this.pending.get(key);
          if (sentAt === undefined) return;
          this.pending.delete(key);
          this.latencies.push(performance.now() - sentAt);
        }),
      ),
    );
  }

  /** Watches the bus for each assignment's `task.updated` (a plain subscription, no consumer). */
  async watchBus(natsUrl: string): Promise<{ close(): Promise<void> }> {
    const nc = await connect({ servers: natsUrl });
    nc.subscribe('task.updated', {
      callback: (_err, msg) => {
        const data = msg.json<{ data?: { id?: string; assigneeId?: string | null } }>().data;
        const key = `${data?.id}:${data?.assigneeId}`;
        const sentAt = this.sentAt.get(key);
        if (sentAt === undefined) return;
        // Once per assignment: a relay's repeated publish reaches a plain subscription too.
        this.sentAt.delete(key);
        this.published.push(performance.now() - sentAt);
      },
    });
    await nc.flush();
    return { close: () => nc.close() };
  }

  stages(): StageTimes {
    return { answered: percentilesOf(this.answered), published: percentilesOf(this.published) };
  }

  /** One assignment: the next task, to the member who does not hold it. */
  async assignNext(): Promise<void> {
    const taskId = this.data.taskIds[this.next % this.data.taskIds.length]!;
    this.next += 1;
    const current = this.assignee.get(taskId);
    const candidates = this.data.members.filter((m) => m.id !== current);
    const member = candidates[this.next % candidates.length]!;
    this.assignee.set(taskId, member.id);
    const sentAt = performance.now();
    this.pending.set(`${taskId}:${member.id}`, sentAt);
    this.sentAt.set(`${taskId}:${member.id}`, sentAt);
    const res = await fetch(`${this.tasksUrl}/api/tasks/${taskId}`, {
      method: 'PATCH',
      headers: { cookie: this.data.admin.cookie, 'content-type': 'application/json' },
      body: JSON.stringify({ assigneeId: member.id }),
    });
    await res.arrayBuffer();
    this.answered.push(performance.now() - sentAt);
    if (res.status !== 200) {
      this.pending.delete(`${taskId}:${member.id}`);
      this.failures += 1;
      throw new Error(`PATCH /api/tasks/${taskId} answered ${res.status}`);
    }
  }

  get outstanding(): number {
    return this.pending.size;
  }

  reset(): void {
    this.pending.clear();
    this.sentAt.clear();
    this.answered.length = 0;
    this.published.length = 0;
    this.latencies.length = 0;
    this.failures = 0;
  }
}

/**
 * Calls `tick` `ratePerS` times a second for `seconds`, without waiting for each to finish;
 * resolves with the number of calls that failed.
 */
async function atSteadyRate(
  ratePerS: number,
  seconds: number,
  tick: () => Promise<void>,
): Promise<number> {
  const inFlight: Promise<boolean>[] = [];
  const start = performance.now();
  const total = ratePerS * seconds;
  for (let i = 0; i < total; i += 1) {
    const due = start + (i * 1000) / ratePerS;
    const wait = due - performance.now();
    if (wait > 0) await sleep(wait);
    inFlight.push(
      tick().then(
        () => true,
        () => false,
      ),
    );
  }
  return (await Promise.all(inFlight)).filter((ok) => !ok).length;
}

function percentilesOf(values: number[]): Percentiles {
  return { p50Ms: round(percentile(values, 50)), p99Ms: round(percentile(values, 99)) };
}

function latencyOf(latencies: number[], lost: number): LatencyResult {
  return { samples: latencies.length, lost, ...percentilesOf(latencies) };
}

/** How far the service's durable consumer has acked, and what the stream holds. */
async function consumerProgress(natsUrl: string, durable: string) {
  const nc = await connect({ servers: natsUrl });
  try {
    const jsm = await jetstreamManager(nc);
    const [stream, consumer] = await Promise.all([
      jsm.streams.info(STREAM),
      jsm.consumers.info(STREAM, durable),
    ]);
    return {
      lastSeq: stream.state.last_seq,
      ackFloor: consumer.ack_floor.stream_seq,
      // Not yet handled: never delivered, or delivered and waiting for its ack (or a redelivery).
      open: consumer.num_pending + consumer.num_ack_pending,
    };
  } finally {
    await nc.close();
  }
}

export async function measureEvents(options: {
  data: BenchData;
  tasksUrl: string;
  notificationsUrl: string;
  natsUrl: string;
  /** Counts what tasks' writes recorded and its relay has not published. */
  outboxDepth: () => Promise<number>;
  ratePerS: number;
  seconds: number;
  burst: number;
}): Promise<EventsResult> {
  const { data, natsUrl } = options;
  const assigner = new Assigner(data, options.tasksUrl);
  const streams = await assigner.openStreams(options.notificationsUrl);
  const bus = await assigner.watchBus(natsUrl);
  try {
    // The phases before this one (the HTTP writes) leave events to work through: in tasks'
    // outbox, not yet published, and on the bus, not yet handled by notifications. Measured on
    // top of that backlog, latency would be the backlog's. Wait until both are done.
    const backlogStart = performance.now();
    const backlogOutbox = await options.outboxDepth();
    while (performance.now() - backlogStart < 300_000) {
      const [outbox, progress] = await Promise.all([
        options.outboxDepth(),
        consumerProgress(natsUrl, 'notifications'),
      ]);
      if (outbox === 0 && progress.open === 0) break;
      await sleep(200);
    }
    const backlogSeconds = round((performance.now() - backlogStart) / 1000);
    // Warm-up: the first assignments pay for caches and connections.
    await atSteadyRate(10, 2, () => assigner.assignNext());
    await sleep(2000);
    assigner.reset();

    await atSteadyRate(options.ratePerS, options.seconds, () => assigner.assignNext());
    const deadline = Date.now() + 30_000;
    while (assigner.outstanding > 0 && Date.now() < deadline) await sleep(100);
    const endToEnd = {
      ...latencyOf(assigner.latencies, assigner.outstanding),
      failedWrites: assigner.failures,
      ratePerS: options.ratePerS,
      backlogSeconds,
      backlogOutbox,
      stages: assigner.stages(),
    };

    // Sustained: a burst of assignments as fast as 16 clients go, until notifications acked all.
    const before = await consumerProgress(natsUrl, 'notifications');
    const start = performance.now();
    assigner.failures = 0;
    await inBatches(
      Array.from({ length: options.burst }, (_, i) => i),
      16,
      () => assigner.assignNext().catch(() => undefined),
    );
    const written = options.burst - assigner.failures;
    const httpSeconds = (performance.now() - start) / 1000;
    // Until notifications acked every event of the burst, or 3 minutes: then what it did by then.
    let processed = 0;
    let caughtUp = false;
    let atWritesEnd: { processed: number; at: number } | undefined;
    while (performance.now() - start < 180_000) {
      const progress = await consumerProgress(natsUrl, 'notifications');
      processed = Math.max(0, progress.lastSeq - before.lastSeq - progress.open);
      atWritesEnd ??= { processed, at: performance.now() };
      if (progress.lastSeq - before.lastSeq >= written && progress.open === 0) {
        caughtUp = true;
        break;
      }
      await sleep(50);
    }
    const seconds = (performance.now() - start) / 1000;
    const drainSeconds = atWritesEnd ? (performance.now() - atWritesEnd.at) / 1000 : 0;
    const drained = atWritesEnd ? processed - atWritesEnd.processed : 0;
    const throughput = {
      ...(drained > 0 && drainSeconds > 0 ? { drainPerS: round(drained / drainSeconds) } : {}),
      events: processed,
      caughtUp,
      failedWrites: assigner.failures,
      seconds: round(seconds),
      eventsPerS: round(processed / seconds),
      httpWritesPerS: round(written / httpSeconds),
    };

    const raw = await rawJetStream(natsUrl, {
      ratePerS: options.ratePerS,
      seconds: options.seconds,
      burst: options.burst,
    });
    return { endToEnd, throughput, rawLatency: raw.latency, rawThroughput: raw.throughput };
  } finally {
    for (const stream of streams) stream.close();
    await bus.close();
  }
}

/**
 * The same shapes with nothing but JetStream: publish (awaiting the ack, as the outbox relay
 * does) → a durable pull consumer acks. Same storage, message size and concurrency.
 */
async function rawJetStream(
  natsUrl: string,
  options: { ratePerS: number; seconds: number; burst: number },
): Promise<{ latency: LatencyResult; throughput: ThroughputResult }> {
  const nc = await connect({ servers: natsUrl });
  const jsm = await jetstreamManager(nc);
  const name = 'BENCH_RAW';
  await jsm.streams.add({
    name,
    subjects: ['bench.raw'],
    retention: RetentionPolicy.Limits,
    storage: StorageType.File,
  });
  await jsm.consumers.add(name, { durable_name: 'raw', ack_policy: AckPolicy.Explicit });
  const js = jetstream(nc);
  const consumer = await js.consumers.get(name, 'raw');
  const padding = 'x'.repeat(900);
  const latencies: number[] = [];
  let consumed = 0;
  const messages = await consumer.consume({ max_messages: 256 });
  const loop = (async () => {
    for await (const msg of messages) {
      const sentAt = msg.json<{ sentAt: number }>().sentAt;
      latencies.push(performance.now() - sentAt);
      consumed += 1;
      msg.ack();
    }
  })();
  const publish = () =>
    js.publish('bench.raw', JSON.stringify({ sentAt: performance.now(), padding })).then(() => {});
  try {
    await atSteadyRate(options.ratePerS, options.seconds, publish);
    const deadline = Date.now() + 10_000;
    while (consumed < options.ratePerS * options.seconds && Date.now() < deadline) await sleep(20);
    const latency = latencyOf(latencies, options.ratePerS * options.seconds - consumed);

    consumed = 0;
    const start = performance.now();
    await inBatches(
      Array.from({ length: options.burst }, (_, i) => i),
      16,
      publish,
    );
    while (consumed < options.burst) await sleep(5);
    const seconds = (performance.now() - start) / 1000;
    return {
      latency,
      throughput: {
        events: options.burst,
        seconds: round(seconds),
        eventsPerS: round(options.burst / seconds),
      },
    };
  } finally {
    await messages.close();
    await loop;
    await jsm.streams.delete(name);
    await nc.close();
  }
}
