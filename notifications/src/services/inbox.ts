import { documentLockKey, withDocumentLock } from '@taskforge/common';
import { Notification, OBJECT_ID, type NotificationAttrs } from '../models/notification';
import type { LiveFeed } from '../live/live-feed';
import type { UnreadCounter } from './unread-counter';

/**
 * Read state of one user's inbox. FerretDB v1 does not isolate concurrent updates of a document,
 * so two requests marking the same notification could both see it modified and count it twice:
 * a user's read transitions take turns (per process; MongoDB's per-document atomicity does the
 * same across pods).
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
    if (!OBJECT_ID.test(id)) return null;
    return this.inTurn(userId, async () => {
      let modified = 0;
      const count = await this.counter.change(userId, async () => {
        const result = await Notification.updateOne(
          { _id: id, recipientId: userId, read: false },
          { $set: { read: true, readAt: new Date() } },
        );
        modified = result.modifiedCount;
        return -modified;
      });
      if (modified > 0) await this.announce(userId, count);
      return Notification.findOne({ _id: id, recipientId: userId }).lean<NotificationAttrs>();
    });
  }

  /** Marks every unread notification of the user read; returns how many and the new count. */
  async markAllRead(userId: string): Promise<{ updated: number; unreadCount: number }> {
    return this.inTurn(userId, async () => {
      let updated = 0;
      const count = await this.counter.change(userId, async () => {
        const result = await Notification.updateMany(
          { recipientId: userId, read: false },
          { $set: { read: true, readAt: new Date() } },
        );
        updated = result.modifiedCount;
        return -updated;
      });
      const unreadCount = count ?? (await this.counter.get(userId));
      if (updated > 0) await this.announce(userId, unreadCount);
      return { updated, unreadCount };
    });
  }

  private inTurn<T>(userId: string, work: () => Promise<T>): Promise<T> {
    return withDocumentLock(documentLockKey('Inbox', userId), work);
  }

  private async announce(userId: string, count: number | undefined): Promise<void> {
    const value = count ?? (await this.counter.get(userId));
    await this.live.publish({ type: 'unread-count', userId, data: { count: value } });
  }
}
