import type { Redis } from 'ioredis';
import type { NotificationResponse } from '../models/notification';

export const BOARD_EVENTS = [
  'task.created',
  'task.updated',
  'task.deleted',
  'comment.created',
] as const;
export type BoardEvent = (typeof BOARD_EVENTS)[number];

/** What goes to browsers: to one user, or to whoever belongs to a team when it is delivered. */
export type LiveMessage =
  | { type: 'notification'; userId: string; data: NotificationResponse }
  | { type: 'unread-count'; userId: string; data: { count: number } }
  | { type: 'board'; event: BoardEvent; teamId: string; data: Record<string, unknown> };

/** A message as stored in the stream: its id is the SSE event id. */
export interface LiveEntry {
  id: string;
  message: LiveMessage;
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

  /** XADD's arguments for one message: the stream, trimmed to about the backlog. */
  private entry(message: LiveMessage) {
    return [
      liveStreamKey(this.prefix),
      'MAXLEN',
      '~',
      String(this.backlog),
      '*',
      'm',
      JSON.stringify(message),
    ] as const;
  }

  async publish(message: LiveMessage): Promise<string> {
    const id = await this.redis.xadd(...this.entry(message));
    if (!id) throw new Error('XADD returned no id');
    return id;
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

/** Parses XRANGE/XREAD entries; malformed ones are skipped rather than breaking a stream. */
export function parseEntries(entries: Array<[id: string, fields: string[]]>): LiveEntry[] {
  const parsed: LiveEntry[] = [];
  for (const [id, fields] of entries) {
    const index = fields.indexOf('m');
    const raw = index >= 0 ? fields[index + 1] : undefined;
    if (raw === undefined) continue;
    try {
      parsed.push({ id, message: JSON.parse(raw) as LiveMessage });
    } catch {
      // Not ours: nothing to deliver.
    }
  }
  return parsed;
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
