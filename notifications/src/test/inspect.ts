import { inspect } from 'node:util';
import mongoose, { Types } from 'mongoose';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { liveStreamKey, parseEntries, type LiveMessage } from '../live/live-feed';
import { Notification, type NotificationAttrs } from '../models/notification';

/** Every message on the live stream so far, oldest first. */
export async function liveMessages(redis: Redis, prefix: string): Promise<LiveMessage[]> {
  const raw = await redis.xrange(liveStreamKey(prefix), '-', '+');
  return parseEntries(raw).map((entry) => entry.message);
}

/** The unread-count messages the live stream carried for a user so far, oldest first. */
export async function unreadCountMessages(
  redis: Redis,
  prefix: string,
  userId: string,
): Promise<Array<Extract<LiveMessage, { type: 'unread-count' }>>> {
  return (await liveMessages(redis, prefix)).filter(
    (m): m is Extract<LiveMessage, { type: 'unread-count' }> =>
      m.type === 'unread-count' && m.userId === userId,
  );
}

/** The notifications stored for a user, oldest first. */
export function inboxOf(userId: string): Promise<NotificationAttrs[]> {
  return Notification.find({ recipientId: userId }).sort({ createdAt: 1, _id: 1 }).lean();
}

/** Notifications written straight to the collection, so tests control createdAt exactly. */
export async function insertNotifications(
  recipientId: string,
  specs: Array<Partial<Omit<NotificationAttrs, '_id' | 'recipientId'>>>,
): Promise<NotificationAttrs[]> {
  const docs = specs.map((spec, i) => ({
    _id: new Types.ObjectId(),
    recipientId,
    kind: 'task.assigned' as const,
    sourceEventId: `test-${new Types.ObjectId().toHexString()}`,
    actorId: null,
    teamId: 'team-1',
    taskId: `task-${i}`,
    title: `Notification ${i}`,
    link: `/teams/team-1/tasks/task-${i}`,
    read: false,
    readAt: null,
    createdAt: new Date(Date.UTC(2025, 0, 1, 0, 0, i)),
    ...spec,
  }));
  await Notification.collection.insertMany(docs);
  return docs;
}

/** Every key under the prefix with what it holds, as text (to look for what must not be kept). */
export async function redisContents(redis: Redis, prefix: string): Promise<Map<string, string>> {
  const contents = new Map<string, string>();
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
    cursor = next;
    for (const key of keys) contents.set(key, JSON.stringify(await valueOf(redis, key)));
  } while (cursor !== '0');
  return contents;
}

async function valueOf(redis: Redis, key: string): Promise<unknown> {
  const type = await redis.type(key);
  if (type === 'string') return redis.get(key);
  if (type === 'hash') return redis.hgetall(key);
  if (type === 'list') return redis.lrange(key, 0, -1);
  if (type === 'set') return redis.smembers(key);
  if (type === 'zset') return redis.zrange(key, 0, -1, 'WITHSCORES');
  if (type === 'stream') return redis.xrange(key, '-', '+');
  return null;
}

/** Every document of the test's database, as text. */
export async function storedDocuments(): Promise<string> {
  const db = mongoose.connection.db!;
  const collections = await db.listCollections({}, { nameOnly: true }).toArray();
  const documents = await Promise.all(
    collections.map(({ name }) => db.collection(name).find().toArray()),
  );
  return JSON.stringify(documents);
}

const LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace'] as const;

/**
 * What the process logs from now on through `logger` and its children, at every level (tests
 * log nothing, so these are the calls a production log would show), each call as text.
 */
export function recordLogs(logger: Logger): string[] {
  const calls: string[] = [];
  const record = (target: Pick<Logger, (typeof LEVELS)[number] | 'child'>) => {
    for (const level of LEVELS) {
      jest.spyOn(target, level).mockImplementation((...args: unknown[]) => {
        calls.push(inspect(args, { depth: 10 }));
      });
    }
    const child = target.child.bind(target);
    jest.spyOn(target, 'child').mockImplementation((...args) => {
      calls.push(inspect(args, { depth: 10 }));
      const made = child(...args);
      record(made);
      return made;
    });
  };
  record(logger);
  return calls;
}
