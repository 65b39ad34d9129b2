import { traceContextOf, type TraceCarrier } from '@taskforge/common';
import type { Redis } from 'ioredis';
import type { NotificationResponse, UnreadCount } from '../contracts/notifications';

export const BOARD_EVENTS = [
  'task.created',
  'task.updated',
  'task.deleted',
  'comment.created',
] as const;
export type BoardEvent = (typeof BOARD_EVENTS)[number];

/**
 * What goes to browsers: to one user, or to whoever belongs to a team when it is delivered. An
 * `account-deleted` message is for the pods, not the browsers: each ends the user's streams.
 */
export type LiveMessage =
  | { type: 'notification'; userId: string; data: NotificationResponse }
  | { type: 'unread-count'; userId: string; data: UnreadCount }
  | { type: 'board'; event: BoardEvent; teamId: string; data: Record<string, unknown> }
  | { type: 'account-deleted'; userId: string };

/** A message as stored in the stream: its id is the SSE event id. */
export interface LiveEntry {
  id: string;
  message: LiveMessage;
  /** The trace of what published it, when there was one. */
  trace?: TraceCarrier;
}

export function liveStreamKey(prefix: string): string {
  return `${prefix}:live`;
}

/**
 * Appends live messages to one capped Redis Stream. Every pod reads it with one blocking XREAD,
 * so each pod's browsers get every message, and a browser that reconnects with `Last-Event-ID`
 * is replayed what it missed from the same stream (pub/sub would drop messages published while
 * a pod reconnects, and keeps nothing to replay).
 */
export class LiveFeed {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly backlog: number,
  ) {}

  /**
   * XADD's arguments for one message: the stream, trimmed to about the backlog, and the trace
   * it was published in, so that the pod writing it to a browser continues that trace.
   */
  private entry(message: LiveMessage) {
    const { traceparent, tracestate } = traceContextOf();
    const fields = ['m', JSON.stringify(message)];
    if (traceparent) fields.push('traceparent', traceparent);
    if (traceparent && tracestate) fields.push('tracestate', tracestate);
    return [
      liveStreamKey(this.prefix),
      'MAXLEN',
      '~',
      String(this.backlog),
      '*',
      ...fields,
    ] as const;
  }

  async publish(message: LiveMessage): Promise<string> {
    const id = await this.redis.xadd(...this.entry(message));
    if (!id) throw new Error('XADD returned no id');
    return id;
  }

  /**
   * Removes from the backlog what it keeps of a deleted user: the messages to them, and the
   * notifications that named them to others (a browser resuming meanwhile misses those; its
   * inbox has them, without the name). Their `account-deleted` message stays.
   */
  async forget(userId: string): Promise<void> {
    const key = liveStreamKey(this.prefix);
    let start = '-';
    for (;;) {
      const raw = await this.redis.xrange(key, start, '+', 'COUNT', FORGET_BATCH);
      const ids = parseEntries(raw)
        .filter(({ message }) => concerns(message, userId))
        .map((entry) => entry.id);
      if (ids.length > 0) await this.redis.xdel(key, ...ids);
      const last = raw[raw.length - 1];
      if (!last || raw.length < FORGET_BATCH) return;
      start = `(${last[0]}`;
    }
  }

  /** Appends the messages in order, in one round trip. */
  async publishAll(messages: LiveMessage[]): Promise<void> {
    const pipeline = this.redis.pipeline();
    for (const message of messages) {
      pipeline.xadd(...this.entry(message));
    }
    const results = (await pipeline.exec()) ?? [];
    const failed = results.find(([err]) => err);
    if (failed?.[0]) throw failed[0];
  }
}

const FORGET_BATCH = 500;

function concerns(message: LiveMessage, userId: string): boolean {
  switch (message.type) {
    case 'notification':
      return message.userId === userId || message.data.actorId === userId;
    case 'unread-count':
      return message.userId === userId;
    default:
      return false;
  }
}

/** Parses XRANGE/XREAD entries; malformed ones are skipped rather than breaking a stream. */
export function parseEntries(entries: Array<[id: string, fields: string[]]>): LiveEntry[] {
  const parsed: LiveEntry[] = [];
  for (const [id, fields] of entries) {
    const raw = field(fields, 'm');
    if (raw === undefined) continue;
    let message: LiveMessage;
    try {
      message = JSON.parse(raw) as LiveMessage;
    } catch {
      continue; // Not ours: nothing to deliver.
    }
    const traceparent = field(fields, 'traceparent');
    if (traceparent === undefined) {
      parsed.push({ id, message });
    } else {
      const tracestate = field(fields, 'tracestate');
      parsed.push({
        id,
        message,
        trace: tracestate ? { traceparent, tracestate } : { traceparent },
      });
    }
  }
  return parsed;
}

/** An entry's field by name (fields alternate name, value). */
function field(fields: string[], name: string): string | undefined {
  for (let i = 0; i < fields.length - 1; i += 2) {
    if (fields[i] === name) return fields[i + 1];
  }
  return undefined;
}

/** Orders Redis Stream ids (`ms-seq`). */
export function compareStreamIds(a: string, b: string): number {
  const [aMs = 0n, aSeq = 0n] = a.split('-').map(BigInt);
  const [bMs = 0n, bSeq = 0n] = b.split('-').map(BigInt);
  if (aMs !== bMs) return aMs < bMs ? -1 : 1;
  if (aSeq !== bSeq) return aSeq < bSeq ? -1 : 1;
  return 0;
}

export const STREAM_ID = /^\d{1,20}-\d{1,20}$/;
