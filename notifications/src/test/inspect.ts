import { Types } from 'mongoose';
import type { Redis } from 'ioredis';
import { liveStreamKey, parseEntries, type LiveMessage } from '../live/live-feed';
import { Notification, type NotificationAttrs } from '../models/notification';

/** Every message on the live stream so far, oldest first. */
export async function liveMessages(redis: Redis, prefix: string): Promise<LiveMessage[]> {
  const raw = await redis.xrange(liveStreamKey(prefix), '-', '+');
  return parseEntries(raw).map((entry) => entry.message);
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
