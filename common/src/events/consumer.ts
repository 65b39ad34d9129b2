import {
  AckPolicy,
  DeliverPolicy,
  type ConsumerConfig,
  type ConsumerMessages,
  type JsMsg,
} from '@nats-io/jetstream';
import type { Logger } from 'pino';
import { EVENT_STREAM, eventCatalogue, isSubject, type Subject } from './catalogue';
import type { EventBus } from './connection';
import { isNotFound } from './connection';
import { envelopeSchema, type EventEnvelope } from './envelope';
import type { Listener } from './listener';

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
}

type Outcome = 'acked' | 'retried' | 'terminated';

const NS_PER_MS = 1_000_000;

// `term()` is sent without a reason on purpose: nats-server 2.9 does not understand
// `+TERM <reason>` and treats the message as unacked, so it would be redelivered.

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
    const advisorySubject = `$JS.EVENT.ADVISORY.CONSUMER.MAX_DELIVERIES.${EVENT_STREAM}.${durable}`;
    this.advisory = nc.subscribe(advisorySubject, {
      callback: (_err, msg) => {
        logger.error({ advisory: msg?.json<unknown>() }, 'event exceeded its deliveries: parked');
      },
    });
    const consumer = await js.consumers.get(EVENT_STREAM, durable);
    this.messages = await consumer.consume({ max_messages: 256 });
    const messages = this.messages;
    this.loop = (async () => {
      for await (const msg of messages) {
        await this.handle(msg);
        if (this.stopping) break;
      }
    })().catch((err: unknown) => {
      if (!this.stopping) logger.error({ err }, 'event consumer stopped unexpectedly');
    });
  }

  /** Stops taking messages and waits for the one in hand to be acked; then drain the connection. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.advisory?.unsubscribe();
    await this.messages?.close();
    await this.loop;
  }

  /** Handles one message; public so tests can drive a single delivery. */
  async handle(msg: JsMsg): Promise<Outcome> {
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
      msg.term();
      return 'terminated';
    }

    const listener = isSubject(msg.subject) ? this.listeners.get(msg.subject) : undefined;
    if (!listener) {
      msg.ack();
      return 'acked';
    }

    const entry = eventCatalogue[listener.subject];
    if (envelope.schemaVersion !== entry.schemaVersion) {
      log.error({ schemaVersion: envelope.schemaVersion }, 'unknown schema version terminated');
      msg.term();
      return 'terminated';
    }
    const data = entry.schema.safeParse(envelope.data);
    if (!data.success) {
      log.error(
        { eventId: envelope.id, issues: data.error.issues },
        'invalid event data terminated',
      );
      msg.term();
      return 'terminated';
    }

    try {
      const result = await listener.onMessage(data.data as never, {
        event: { ...envelope, data: data.data } as never,
        msg,
        logger: log,
      });
      if (result === 'retry') return this.retry(msg, log, 'waiting for an earlier version');
      msg.ack();
      return 'acked';
    } catch (err) {
      log.error({ err, eventId: envelope.id }, 'listener failed');
      return this.retry(msg, log, 'listener failed');
    }
  }

  private retry(msg: JsMsg, log: Logger, reason: string): Outcome {
    const delivery = msg.info.deliveryCount;
    if (delivery >= this.maxDeliver) {
      log.error({ reason }, 'event gave up after its last delivery: terminated');
      msg.term();
      return 'terminated';
    }
    const delay = Math.min(
      this.retryDelayMs * 2 ** Math.min(delivery - 1, 16),
      this.maxRetryDelayMs,
    );
    log.debug({ reason, delay }, 'event will be redelivered');
    msg.nak(delay);
    return 'retried';
  }
}

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
