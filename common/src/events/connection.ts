import {
  jetstream,
  jetstreamManager,
  JetStreamApiError,
  RetentionPolicy,
  StorageType,
  type JetStreamClient,
  type JetStreamManager,
  type StreamConfig,
} from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import type { Logger } from 'pino';
import { EVENT_STREAM, EVENT_STREAM_SUBJECTS } from './catalogue';

export interface EventBus {
  nc: NatsConnection;
  js: JetStreamClient;
  jsm: JetStreamManager;
}

export interface ConnectOptions {
  servers: string | string[];
  name: string;
  logger: Logger;
  /** Replicas for the stream when it is created (3 on a NATS cluster, 1 otherwise). */
  streamReplicas?: number;
}

const TWO_MINUTES_NS = 2 * 60 * 1_000_000_000;

/**
 * Connects (retrying until the server answers), then makes sure the event stream exists with
 * the subjects of the catalogue. Safe to run from every pod at once.
 */
export async function connectEventBus(options: ConnectOptions): Promise<EventBus> {
  const nc = await connect({
    servers: options.servers,
    name: options.name,
    waitOnFirstConnect: true,
    maxReconnectAttempts: -1,
    reconnectTimeWait: 1000,
  });
  void (async () => {
    for await (const status of nc.status()) {
      if (status.type === 'disconnect' || status.type === 'reconnect' || status.type === 'error') {
        options.logger.warn({ nats: status.type }, 'nats connection status');
      }
    }
  })();
  const jsm = await jetstreamManager(nc);
  await ensureStream(jsm, options.streamReplicas ?? 1);
  return { nc, js: jetstream(nc), jsm };
}

export async function ensureStream(jsm: JetStreamManager, replicas = 1): Promise<void> {
  const config: Partial<StreamConfig> & { name: string } = {
    name: EVENT_STREAM,
    subjects: EVENT_STREAM_SUBJECTS,
    retention: RetentionPolicy.Limits,
    storage: StorageType.File,
    duplicate_window: TWO_MINUTES_NS,
    num_replicas: replicas,
    // Events that carry a secret (a password reset's token) leave the stream after a while.
    allow_msg_ttl: true,
  };
  try {
    const info = await jsm.streams.info(EVENT_STREAM);
    const missing = EVENT_STREAM_SUBJECTS.filter((s) => !info.config.subjects?.includes(s));
    if (missing.length > 0 || !info.config.allow_msg_ttl) {
      await jsm.streams.update(EVENT_STREAM, {
        ...info.config,
        subjects: [...(info.config.subjects ?? []), ...missing],
        allow_msg_ttl: true,
      });
    }
  } catch (err) {
    if (!isNotFound(err)) throw err;
    try {
      await jsm.streams.add(config);
    } catch (addErr) {
      // Another pod created it between our info and add: that is fine.
      if (!(addErr instanceof JetStreamApiError) || !/already in use/i.test(addErr.message)) {
        throw addErr;
      }
    }
  }
}

export function isNotFound(err: unknown): boolean {
  return err instanceof JetStreamApiError && err.status === 404;
}
