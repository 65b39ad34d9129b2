import {
  AckPolicy,
  DeliverPolicy,
  type ConsumerConfig,
  type ConsumerMessages,
  type JsMsg,
} from '@nats-io/jetstream';
import { context, SpanKind, SpanStatusCode, trace, type Span } from '@opentelemetry/api';
import type { Logger } from 'pino';
import { contextFrom, tracer, type TraceCarrier } from '../tracing/context';
import { EVENT_STREAM, eventCatalogue, isSubject, type Subject } from './catalogue';
import type { EventBus } from './connection';
import { isNotFound } from './connection';
import { envelopeSchema, type EventEnvelope } from './envelope';
import type { Listener } from './listener';
import {
  eventsHandled,
  eventsRedelivered,
  unwatchDurable,
  watchDurable,
  type HandledOutcome,
} from './metrics';

export interface ConsumerOptions {
  /** The durable name, one per service: every pod of the service shares it. */
  durable: string;
  listeners: Listener[];
  logger: Logger;
  ackWaitMs?: number;
  maxDeliver?: number;
  /** First redelivery delay for an event that must wait (future version) or failed. */
  retryDelayMs?: number;
  maxRetryDelayMs?: number;
  /**
   * How many messages are handled at once. Messages about one entity (see `eventOrderOf`) are
   * still handled one after the other, in the order they arrive, and user and team events
   * alone; only events about different entities overlap. 1 (the default) handles every
   * message in turn.
   */
  concurrency?: number;
}

type Outcome = 'acked' | 'retried' | 'terminated';

const NS_PER_MS = 1_000_000;

/** How an event is ordered against the others when several are handled at once. */
export interface EventOrder {
  /** The entity it is about: events about one entity are handled in turn, as they arrived. */
  key?: string;
  /**
   * About an entity other events refer to (a user's name, a team's name and existence): it waits
   * for every message before it, and every message after it waits for it, as if handled alone.
   */
  barrier: boolean;
}

const REFERENCED_ENTITIES = new Set(['user', 'team']);

/**
 * Keys a membership by team and user, every other subject by its entity's `id`; user and team
 * events are barriers, so an event naming a user or a team sees what came before it.
 */
export function eventOrderOf(subject: string, data: unknown): EventOrder {
  const fields = (data ?? {}) as Record<string, unknown>;
  const entity = subject.split('.')[0] ?? subject;
  const barrier = REFERENCED_ENTITIES.has(entity);
  if (entity === 'member') {
    return { key: `member:${String(fields.teamId)}:${String(fields.userId)}`, barrier };
  }
  return { key: typeof fields.id === 'string' ? `${entity}:${fields.id}` : undefined, barrier };
}

/**
 * Runs the service's listeners on its durable pull consumer: explicit acks, bounded ack wait
 * and deliveries, replay from the start for a new consumer. Malformed messages and messages
 * that exhausted their deliveries are terminated and logged, never looped forever.
 */
export class EventConsumer {
  private readonly listeners = new Map<Subject, Listener>();
  private readonly ackWaitMs: number;
  private readonly maxDeliver: number;
  private readonly retryDelayMs: number;
  private readonly maxRetryDelayMs: number;
  private readonly concurrency: number;
  /** Messages in hand, and per entity the last one queued (its successor waits for it). */
  private readonly inHand = new Set<Promise<unknown>>();
  private readonly tails = new Map<string, Promise<unknown>>();
  private barrier: Promise<unknown> = Promise.resolve();
  private messages: ConsumerMessages | undefined;
  private loop: Promise<void> | undefined;
  private stopping = false;
  private advisory: { unsubscribe(): void } | undefined;

  constructor(
    private readonly bus: EventBus,
    private readonly options: ConsumerOptions,
  ) {
    for (const listener of options.listeners) {
      if (this.listeners.has(listener.subject)) {
        throw new Error(`Two listeners for ${listener.subject}`);
      }
      this.listeners.set(listener.subject, listener);
    }
    this.ackWaitMs = options.ackWaitMs ?? 30_000;
    this.maxDeliver = options.maxDeliver ?? 50;
    this.retryDelayMs = options.retryDelayMs ?? 250;
    this.maxRetryDelayMs = options.maxRetryDelayMs ?? 10_000;
    this.concurrency = Math.max(1, options.concurrency ?? 1);
  }

  get config(): Partial<ConsumerConfig> {
    return {
      durable_name: this.options.durable,
      ack_policy: AckPolicy.Explicit,
      deliver_policy: DeliverPolicy.All,
      ack_wait: this.ackWaitMs * NS_PER_MS,
      max_deliver: this.maxDeliver,
      max_ack_pending: 1000,
    };
  }

  /** Creates the durable consumer or brings its settings up to date (works on 2.9 and 2.10+). */
  async ensure(): Promise<void> {
    const { jsm } = this.bus;
    const { durable } = this.options;
    try {
      const info = await jsm.consumers.info(EVENT_STREAM, durable);
      const wanted = this.config;
      if (
        info.config.ack_wait !== wanted.ack_wait ||
        info.config.max_deliver !== wanted.max_deliver ||
        info.config.max_ack_pending !== wanted.max_ack_pending
      ) {
        await jsm.consumers.update(EVENT_STREAM, durable, {
          ack_wait: wanted.ack_wait,
          max_deliver: wanted.max_deliver,
          max_ack_pending: wanted.max_ack_pending,
        });
      }
    } catch (err) {
      if (!isNotFound(err)) throw err;
      await jsm.consumers.add(EVENT_STREAM, this.config);
    }
  }

  async start(): Promise<void> {
    await this.ensure();
    const { nc, js } = this.bus;
    const { durable, logger } = this.options;
    watchDurable(durable, this.bus);
    const advisorySubject = `$JS.EVENT.ADVISORY.CONSUMER.MAX_DELIVERIES.${EVENT_STREAM}.${durable}`;
    this.advisory = nc.subscribe(advisorySubject, {
      callback: (_err, msg) => {
        logger.error({ advisory: msg?.json<unknown>() }, 'event exceeded its deliveries: parked');
      },
    });
    const consumer = await js.consumers.get(EVENT_STREAM, durable);
    // A message waits in this buffer with its ack timer running: keep it a few batches deep, so
    // a slow listener does not let buffered messages reach `ack_wait` and come back as duplicates.
    this.messages = await consumer.consume({
      max_messages: Math.min(256, Math.max(32, this.concurrency * 8)),
    });
    const messages = this.messages;
    this.loop = (async () => {
      for await (const msg of messages) {
        if (this.stopping) break;
        while (this.inHand.size >= this.concurrency) await Promise.race(this.inHand);
        if (this.stopping) break;
        this.dispatch(msg);
      }
    })()
      .catch((err: unknown) => {
        if (!this.stopping) logger.error({ err }, 'event consumer stopped unexpectedly');
      })
      .finally(() => Promise.all(this.inHand));
  }

  /** Stops taking messages and waits for those in hand to be acked; then drain the connection. */
  async stop(): Promise<void> {
    this.stopping = true;
    unwatchDurable(this.options.durable, this.bus);
    this.advisory?.unsubscribe();
    await this.messages?.close();
    await this.loop;
    await Promise.all(this.inHand);
  }

  /** Handles the message after the earlier messages about the same entity (or all, a barrier). */
  private dispatch(msg: JsMsg): void {
    const { key, barrier } = this.orderOf(msg);
    const waitFor = barrier
      ? Promise.all(this.inHand)
      : Promise.all([this.barrier, key === undefined ? undefined : this.tails.get(key)]);
    const run = waitFor.then(() => this.handle(msg));
    // handle() settles every outcome itself; a rejection here would be a bug in it.
    const done = run.catch((err: unknown) => {
      this.options.logger.error({ err, subject: msg.subject, seq: msg.seq }, 'handler crashed');
    });
    this.inHand.add(done);
    if (barrier) this.barrier = done;
    if (key !== undefined) this.tails.set(key, done);
    void done.finally(() => {
      this.inHand.delete(done);
      if (key !== undefined && this.tails.get(key) === done) this.tails.delete(key);
    });
  }

  private orderOf(msg: JsMsg): EventOrder {
    // One at a time: every message is a barrier, which is what the loop does anyway.
    if (this.concurrency === 1) return { barrier: true };
    try {
      return eventOrderOf(msg.subject, msg.json<{ data?: unknown }>().data);
    } catch {
      return { barrier: true };
    }
  }

  /** Handles one message; public so tests can drive a single delivery. */
  async handle(msg: JsMsg): Promise<Outcome> {
    const { durable } = this.options;
    const delivery = msg.info.deliveryCount;
    if (delivery > 1) eventsRedelivered.inc({ durable, subject: msg.subject });
    const { outcome, handled } = await this.handleCounted(msg);
    eventsHandled.inc({ durable, subject: msg.subject, outcome: handled });
    return outcome;
  }

  private async handleCounted(msg: JsMsg): Promise<{ outcome: Outcome; handled: HandledOutcome }> {
    const { logger } = this.options;
    const log = logger.child({
      subject: msg.subject,
      seq: msg.seq,
      delivery: msg.info.deliveryCount,
    });

    let envelope: EventEnvelope;
    try {
      const parsed = envelopeSchema.parse(msg.json());
      if (parsed.subject !== msg.subject) throw new Error('subject does not match the message');
      envelope = parsed as EventEnvelope;
    } catch (err) {
      log.error({ err: describe(err) }, 'malformed event terminated');
      msg.term('malformed event');
      return { outcome: 'terminated', handled: 'terminated' };
    }

    const listener = isSubject(msg.subject) ? this.listeners.get(msg.subject) : undefined;
    if (!listener) {
      msg.ack();
      return { outcome: 'acked', handled: 'unhandled' };
    }

    const entry = eventCatalogue[listener.subject];
    if (envelope.schemaVersion !== entry.schemaVersion) {
      log.error({ schemaVersion: envelope.schemaVersion }, 'unknown schema version terminated');
      msg.term(`unknown schema version ${envelope.schemaVersion}`);
      return { outcome: 'terminated', handled: 'terminated' };
    }
    const data = entry.schema.safeParse(envelope.data);
    if (!data.success) {
      log.error(
        { eventId: envelope.id, issues: data.error.issues },
        'invalid event data terminated',
      );
      msg.term('invalid event data');
      return { outcome: 'terminated', handled: 'terminated' };
    }

    const span = this.startSpan(msg, envelope);
    try {
      return await context.with(trace.setSpan(context.active(), span), async () => {
        try {
          const result = await listener.onMessage(data.data as never, {
            event: { ...envelope, data: data.data } as never,
            msg,
            logger: log,
          });
          if (result === 'retry') {
            span.setAttribute('taskforge.event.outcome', 'waiting');
            return this.retry(msg, log, 'waiting for an earlier version', 'waiting');
          }
          msg.ack();
          const handled: HandledOutcome = result === 'stale' ? 'stale' : 'applied';
          span.setAttribute('taskforge.event.outcome', handled);
          return { outcome: 'acked' as const, handled };
        } catch (err) {
          log.error({ err, eventId: envelope.id }, 'listener failed');
          span.recordException(err instanceof Error ? err : String(err));
          span.setStatus({ code: SpanStatusCode.ERROR, message: describe(err) });
          return this.retry(msg, log, 'listener failed', 'failed');
        }
      });
    } finally {
      span.end();
    }
  }

  /**
   * The span of one delivery: a child of the publish span whose context the message carries (or,
   * from a publisher that set no header, of the recording request's), and linked to it, so a
   * redelivery is another span of the same trace. A no-op span with tracing off.
   */
  private startSpan(msg: JsMsg, envelope: EventEnvelope): Span {
    const carrier: TraceCarrier = {};
    const traceparent = msg.headers?.get('traceparent') || envelope.metadata.traceparent;
    const tracestate = msg.headers?.get('tracestate') || envelope.metadata.tracestate;
    if (traceparent) carrier.traceparent = traceparent;
    if (tracestate) carrier.tracestate = tracestate;
    const parent = contextFrom(carrier);
    const carried = trace.getSpanContext(parent);
    return tracer.startSpan(
      `${msg.subject} process`,
      {
        kind: SpanKind.CONSUMER,
        links: carried ? [{ context: carried }] : [],
        attributes: {
          'messaging.system': 'nats',
          'messaging.operation.type': 'process',
          'messaging.destination.name': msg.subject,
          'messaging.consumer.group.name': this.options.durable,
          'messaging.message.id': envelope.id,
          'messaging.nats.delivery_count': msg.info.deliveryCount,
          'messaging.nats.stream.sequence': msg.seq,
        },
      },
      parent,
    );
  }

  private retry(
    msg: JsMsg,
    log: Logger,
    reason: string,
    handled: HandledOutcome,
  ): { outcome: Outcome; handled: HandledOutcome } {
    const delivery = msg.info.deliveryCount;
    if (delivery >= this.maxDeliver) {
      log.error({ reason }, 'event gave up after its last delivery: terminated');
      msg.term(`gave up after ${delivery} deliveries: ${reason}`);
      return { outcome: 'terminated', handled: 'terminated' };
    }
    const delay = Math.min(
      this.retryDelayMs * 2 ** Math.min(delivery - 1, 16),
      this.maxRetryDelayMs,
    );
    log.debug({ reason, delay }, 'event will be redelivered');
    msg.nak(delay);
    return { outcome: 'retried', handled };
  }
}

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
