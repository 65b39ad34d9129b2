import { retryOnConflict } from '@taskforge/common';
import { EmailDelivery, type DeliveryStatus } from '../models/email-delivery';
import {
  Notification,
  notificationIdFor,
  titleWithoutActor,
  TITLE_MAX_LENGTH,
  toNotificationResponse,
  type NotificationAttrs,
  type NotificationKind,
} from '../models/notification';
import { deletedUsers } from '../replicas/user';
import type { BoardEvent, LiveFeed } from '../live/live-feed';
import type { UnreadCounter } from './unread-counter';

export interface NotificationDraft {
  recipientId: string;
  kind: NotificationKind;
  title: string;
  /** The actor's name when the title begins with it (see `NotificationAttrs.actorName`). */
  actorName?: string;
  link: string;
  teamId?: string | null;
  taskId?: string | null;
}

export interface NotificationSource {
  /** The event id (or a synthetic id for scans): with recipient and kind, it is unique. */
  eventId: string;
  /** Who caused it: never notified of their own action. */
  actorId?: string | null;
  /**
   * When it happened, on the owner's clock (ISO): the notification's `createdAt`, so an inbox
   * lists events in the order they happened, whichever pod or delivery handled them first.
   */
  occurredAt?: string;
  /**
   * The event's sequence in its JetStream stream (none for scans): it orders notifications
   * that occurred in the same millisecond, through their `_id`.
   */
  sequence?: number;
}

export interface NotifierDeps {
  counter: UnreadCounter;
  live: LiveFeed;
  enqueueEmail: (notificationId: string) => Promise<void>;
}

function isDuplicateKey(err: unknown): boolean {
  return (err as { code?: number } | null)?.code === 11000;
}

/**
 * Turns what happened into inbox items: stores each notification once (a unique index on
 * event, recipient and kind, from which its `_id` is derived), moves the unread counter only when
 * one was really inserted, tells the recipient's open browsers, then hands the email to the mail
 * queue (a crash before that is finished by the redelivery). A deleted user is never notified,
 * and never named.
 */
export class Notifier {
  constructor(private readonly deps: NotifierDeps) {}

  /**
   * Drafts are in order of precedence: a recipient gets only their first draft, so one event
   * never makes two notifications for one person (a mention beats a plain comment).
   */
  async notify(source: NotificationSource, drafts: NotificationDraft[]): Promise<void> {
    // Listeners may run before mongoose has built the unique index; init() is memoized.
    await Notification.init();
    const seen = new Set<string>();
    for (const draft of drafts) {
      if (draft.recipientId === source.actorId || seen.has(draft.recipientId)) continue;
      seen.add(draft.recipientId);
      await this.notifyOne(source, draft);
    }
  }

  /** A board change for every open board of the team. */
  async publishBoard(event: BoardEvent, teamId: string, data: object): Promise<void> {
    await this.deps.live.publish({ type: 'board', event, teamId, data: { ...data } });
  }

  private async notifyOne(source: NotificationSource, draft: NotificationDraft): Promise<void> {
    const { counter, live } = this.deps;
    const key = { sourceEventId: source.eventId, recipientId: draft.recipientId, kind: draft.kind };
    const _id = notificationIdFor(key, source.sequence ?? 0);
    // The insert runs beside other events' inserts; the counter and the live messages move in
    // the recipient's turn (see UnreadCounter.change), so a browser is never left showing an
    // older count.
    let created: NotificationAttrs | undefined;
    let recipientDeleted = false;
    await counter.change(
      draft.recipientId,
      async () => {
        try {
          created = (
            await retryOnConflict(() =>
              Notification.create({
                ...key,
                _id,
                actorId: source.actorId ?? null,
                actorName: draft.actorName ?? null,
                teamId: draft.teamId ?? null,
                taskId: draft.taskId ?? null,
                title: draft.title.slice(0, TITLE_MAX_LENGTH),
                link: draft.link,
                createdAt: source.occurredAt ? new Date(source.occurredAt) : new Date(),
              }),
            )
          ).toObject();
        } catch (err) {
          if (!isDuplicateKey(err)) throw err;
        }
        // Checked after the insert: user.deleted forgets after it writes the tombstone, so a
        // deletion handled meanwhile (by another pod) either finds this row or is seen here.
        const deleted = await deletedUsers([draft.recipientId, source.actorId]);
        recipientDeleted = deleted.has(draft.recipientId);
        if (created && recipientDeleted) {
          await Notification.deleteOne({ _id });
          created = undefined;
        } else if (created && source.actorId && deleted.has(source.actorId)) {
          const title = titleWithoutActor(created);
          if (title !== created.title) {
            created = { ...created, title, actorName: null };
            await Notification.updateOne({ _id }, { $set: { title, actorName: null } });
          }
        }
        return created ? 1 : 0;
      },
      async (count) => {
        if (!created) return;
        await live.publishAll([
          {
            type: 'notification',
            userId: draft.recipientId,
            data: toNotificationResponse(created),
          },
          {
            type: 'unread-count',
            userId: draft.recipientId,
            data: { count: count ?? (await counter.get(draft.recipientId)) },
          },
        ]);
      },
    );

    if (recipientDeleted) return;
    if (created) {
      await this.ensureEmail(created._id.toHexString(), draft.recipientId);
      return;
    }
    // Handled before: finish the email part in case that delivery stopped half-way. Stored
    // before `_id`s were derived from the key, it is found by the key.
    const existing =
      (await Notification.findById(_id, { _id: 1 }).lean()) ??
      (await Notification.findOne(key, { _id: 1 }).lean());
    if (existing) await this.ensureEmail(existing._id.toHexString(), draft.recipientId);
  }

  private async ensureEmail(notificationId: string, recipientId: string): Promise<void> {
    let status: DeliveryStatus | undefined = 'pending';
    try {
      await retryOnConflict(() =>
        EmailDelivery.create({ _id: notificationId, recipientId, status }),
      );
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
      status = (await EmailDelivery.findById(notificationId, { status: 1 }).lean())?.status;
    }
    if (status === 'pending') await this.deps.enqueueEmail(notificationId);
  }
}
