import { isObjectId } from '@taskforge/common';
import type { ReadAllResult } from '../contracts/notifications';
import { Notification, type NotificationAttrs } from '../models/notification';
import type { LiveFeed } from '../live/live-feed';
import type { UnreadCounter } from './unread-counter';

/**
 * Read state of one user's inbox. Only an update that really changed a document (`read: false`
 * in its filter, applied atomically by the store) moves the unread count, so two requests
 * marking the same notification count it once, in one pod or several.
 */
export class Inbox {
  constructor(
    private readonly counter: UnreadCounter,
    private readonly live: LiveFeed,
  ) {}

  unreadCount(userId: string): Promise<number> {
    return this.counter.get(userId);
  }

  /** Marks the user's own notification read; null when it is not theirs (or not at all). */
  async markRead(userId: string, id: string): Promise<NotificationAttrs | null> {
    if (!isObjectId(id)) return null;
    let modified = 0;
    await this.counter.change(
      userId,
      async () => {
        const result = await Notification.updateOne(
          { _id: id, recipientId: userId, read: false },
          { $set: { read: true, readAt: new Date() } },
        );
        modified = result.modifiedCount;
        return -modified;
      },
      async (count) => {
        if (modified > 0) await this.announce(userId, count);
      },
    );
    return Notification.findOne({ _id: id, recipientId: userId }).lean<NotificationAttrs>();
  }

  /** Marks every unread notification of the user read; returns how many and the new count. */
  async markAllRead(userId: string): Promise<ReadAllResult> {
    let updated = 0;
    return this.counter.change(
      userId,
      async () => {
        const result = await Notification.updateMany(
          { recipientId: userId, read: false },
          { $set: { read: true, readAt: new Date() } },
        );
        updated = result.modifiedCount;
        return -updated;
      },
      async (count) => {
        const unreadCount = count ?? (await this.counter.get(userId));
        if (updated > 0) await this.announce(userId, unreadCount);
        return { updated, unreadCount };
      },
    );
  }

  private async announce(userId: string, count: number | undefined): Promise<void> {
    const value = count ?? (await this.counter.get(userId));
    await this.live.publish({ type: 'unread-count', userId, data: { count: value } });
  }
}
