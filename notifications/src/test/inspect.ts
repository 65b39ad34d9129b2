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
