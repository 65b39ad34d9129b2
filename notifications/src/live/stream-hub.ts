import { randomUUID } from 'node:crypto';
import { TooManyRequestsError, withTraceFrom } from '@taskforge/common';
import type { Response } from 'express';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { sseConnections } from '../metrics';
import { currentMembers } from '../replicas/membership';
import {
  compareStreamIds,
  liveStreamKey,
  parseEntries,
  type LiveEntry,
  type LiveMessage,
} from './live-feed';
import { StreamSlots } from './stream-slots';

export interface StreamHubOptions {
  /** For XRANGE and the slots; the hub opens its own connection for the blocking XREAD. */
  redis: Redis;
  prefix: string;
  logger: Logger;
  heartbeatMs: number;
  retryMs: number;
  maxStreamsPerUser: number;
  /** How long one XREAD blocks before it is issued again. */
  blockMs?: number;
}

interface Connection {
  id: string;
  userId: string;
  res: Response;
  /** Live messages that arrived while the connection was being replayed; null once live. */
  held: LiveEntry[] | null;
  /** The last stream id written, so replay and live delivery never send a message twice. */
  lastId: string | null;
  heartbeat: NodeJS.Timeout;
}

const REPLAY_BATCH = 500;

function eventName(message: Exclude<LiveMessage, { type: 'account-deleted' }>): string {
  return message.type === 'board' ? message.event : message.type;
}

/**
 * This pod's Server-Sent Events: reads the live stream with one blocking XREAD and writes each
 * message to the local connections it is for. Board changes go to users who belong to the team
 * when the message is delivered, so a removed member stops receiving them at once; a deleted
 * account's streams end (the browser's reconnection is then refused by the session check).
 */
export class StreamHub {
  private readonly connections = new Map<string, Set<Connection>>();
  private readonly slots: StreamSlots;
  private readonly key: string;
  private reader: Redis | undefined;
  private loop: Promise<void> | undefined;
  private running = false;
  private lastReadId = '0-0';

  constructor(private readonly options: StreamHubOptions) {
    this.key = liveStreamKey(options.prefix);
    this.slots = new StreamSlots(
      options.redis,
      options.prefix,
      options.maxStreamsPerUser,
      options.heartbeatMs * 3,
    );
  }

  async start(): Promise<void> {
    // Live delivery starts after the newest message; older ones are only for replay.
    const newest = await this.options.redis.xrevrange(this.key, '+', '-', 'COUNT', 1);
    this.lastReadId = newest[0]?.[0] ?? '0-0';
    this.reader = this.options.redis.duplicate({ maxRetriesPerRequest: null });
    this.running = true;
    this.loop = this.readLoop(this.reader);
  }

  /**
   * Ends every stream (browsers reconnect to another pod) and stops reading. Shutdown calls it
   * twice (when it stops accepting, then with the rest): the second time finds nothing to do.
   */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    for (const set of this.connections.values()) {
      for (const connection of set) connection.res.end();
    }
    this.reader?.disconnect();
    await this.loop;
  }

  /** How many streams the user has open on this pod. */
  openStreamsOf(userId: string): number {
    return this.connections.get(userId)?.size ?? 0;
  }

  /** Serves one SSE response until the client goes away; replays after `lastEventId`. */
  async open(userId: string, res: Response, lastEventId?: string): Promise<void> {
    const connectionId = randomUUID();
    if (!(await this.slots.acquire(userId, connectionId))) {
      throw new TooManyRequestsError('Too many open notification streams');
    }
    res.status(200).set({
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-cache, no-transform',
      'X-Accel-Buffering': 'no',
      Connection: 'keep-alive',
    });
    res.flushHeaders();
    res.write(`retry: ${this.options.retryMs}\n\n`);

    const connection: Connection = {
      id: connectionId,
      userId,
      res,
      held: lastEventId ? [] : null,
      lastId: lastEventId ?? null,
      heartbeat: setInterval(() => {
        res.write(': heartbeat\n\n');
        this.slots.refresh(userId, connectionId).catch(() => undefined);
      }, this.options.heartbeatMs),
    };
    const set = this.connections.get(userId) ?? new Set<Connection>();
    set.add(connection);
    this.connections.set(userId, set);
    sseConnections.inc();
    res.on('close', () => this.remove(connection));
    // Gone while its slot was being taken: 'close' came before anyone listened.
    if (res.closed) this.remove(connection);

    if (lastEventId) {
      try {
        await this.replay(connection, lastEventId);
      } finally {
        const held = connection.held ?? [];
        connection.held = null;
        for (const entry of held) this.write(connection, entry);
      }
    }
  }

  private remove(connection: Connection): void {
    clearInterval(connection.heartbeat);
    const set = this.connections.get(connection.userId);
    if (set?.delete(connection)) sseConnections.dec();
    if (set?.size === 0) this.connections.delete(connection.userId);
    this.slots.release(connection.userId, connection.id).catch(() => undefined);
  }

  private async readLoop(reader: Redis): Promise<void> {
    while (this.running) {
      try {
        const result = await reader.xread(
          'COUNT',
          200,
          'BLOCK',
          this.options.blockMs ?? 5000,
          'STREAMS',
          this.key,
          this.lastReadId,
        );
        for (const [, entries] of result ?? []) {
          const last = entries[entries.length - 1];
          if (last) this.lastReadId = last[0];
          for (const entry of parseEntries(entries)) await this.dispatch(entry);
        }
      } catch (err) {
        if (!this.running) return;
        this.options.logger.warn({ err }, 'live stream read failed; retrying');
        await new Promise((resolve) => setTimeout(resolve, 1000));
      }
    }
  }

  private async dispatch(entry: LiveEntry): Promise<void> {
    const { message } = entry;
    try {
      if (message.type === 'board') {
        const members = await currentMembers(message.teamId, [...this.connections.keys()]);
        for (const userId of members) this.deliver(userId, entry);
      } else if (message.type === 'account-deleted') {
        for (const connection of this.connections.get(message.userId) ?? []) {
          connection.res.end();
        }
      } else {
        this.deliver(message.userId, entry);
      }
    } catch (err) {
      this.options.logger.error({ err, entryId: entry.id }, 'live message not delivered');
    }
  }

  private deliver(userId: string, entry: LiveEntry): void {
    for (const connection of this.connections.get(userId) ?? []) {
      if (connection.held) connection.held.push(entry);
      else this.write(connection, entry);
    }
  }

  private write(connection: Connection, entry: LiveEntry): void {
    const { message } = entry;
    if (message.type === 'account-deleted' || connection.res.writableEnded) return;
    if (connection.lastId && compareStreamIds(entry.id, connection.lastId) <= 0) return;
    connection.lastId = entry.id;
    const event = eventName(message);
    const text = `id: ${entry.id}\nevent: ${event}\ndata: ${JSON.stringify(message.data)}\n\n`;
    // The last step of the publisher's trace; untraced entries cost no span. withTraceFrom runs
    // the write before it returns, so messages still leave in the stream's order.
    if (!entry.trace) {
      connection.res.write(text);
      return;
    }
    withTraceFrom(entry.trace, 'sse write', async () => connection.res.write(text), {
      attributes: { 'sse.event': event, 'sse.event_id': entry.id },
    }).catch((err: unknown) => {
      this.options.logger.error({ err, entryId: entry.id }, 'live message not delivered');
    });
  }

  /**
   * Writes what the user missed after `after`. The stream is trimmed only at its oldest end, so
   * messages were lost when the oldest kept one is newer than `after` (or none is kept although
   * newer ones were sent): the browser is told to `resync` first.
   */
  private async replay(connection: Connection, after: string): Promise<void> {
    const { oldest, lastGenerated } = await this.bounds();
    if (compareStreamIds(after, lastGenerated) > 0) {
      // An id this stream never sent: resuming after it would hold back every live message.
      connection.lastId = null;
      return;
    }
    if (compareStreamIds(oldest ?? lastGenerated, after) > 0) {
      connection.res.write('event: resync\ndata: {}\n\n');
    }
    const membership = new Map<string, boolean>();
    const isFor = async (message: Exclude<LiveMessage, { type: 'account-deleted' }>) => {
      if (message.type !== 'board') return message.userId === connection.userId;
      let member = membership.get(message.teamId);
      if (member === undefined) {
        member = (await currentMembers(message.teamId, [connection.userId])).size > 0;
        membership.set(message.teamId, member);
      }
      return member;
    };
    let start = `(${after}`;
    for (;;) {
      const raw = await this.options.redis.xrange(this.key, start, '+', 'COUNT', REPLAY_BATCH);
      for (const entry of parseEntries(raw)) {
        const { message } = entry;
        if (message.type === 'account-deleted') {
          // Resumed in the moment the session was still trusted: end it as the live one was.
          if (message.userId !== connection.userId) continue;
          connection.res.end();
          return;
        }
        if (await isFor(message)) this.write(connection, entry);
      }
      const last = raw[raw.length - 1];
      if (!last || raw.length < REPLAY_BATCH) return;
      start = `(${last[0]}`;
    }
  }

  /** The oldest id the stream keeps and the last id it generated ('0-0' when it never did). */
  private async bounds(): Promise<{ oldest: string | null; lastGenerated: string }> {
    let info: unknown[];
    try {
      info = (await this.options.redis.call('XINFO', 'STREAM', this.key)) as unknown[];
    } catch {
      return { oldest: null, lastGenerated: '0-0' }; // No stream yet.
    }
    const field = (name: string) => info[info.indexOf(name) + 1];
    const lastGenerated = field('last-generated-id');
    const firstEntry = field('first-entry');
    return {
      oldest: Array.isArray(firstEntry) && typeof firstEntry[0] === 'string' ? firstEntry[0] : null,
      lastGenerated: typeof lastGenerated === 'string' ? lastGenerated : '0-0',
    };
  }
}
