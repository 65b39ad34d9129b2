import type { NotificationJobs } from '../jobs/notification-jobs';
import type { LiveFeed } from '../live/live-feed';
import { EmailDelivery } from '../models/email-delivery';
import { Notification, titleWithoutActor } from '../models/notification';
import type { UnreadCounter } from './unread-counter';

export interface ForgetUserDeps {
  jobs: Pick<NotificationJobs, 'removeJobsOf'>;
  live: LiveFeed;
  counter: UnreadCounter;
}

/**
 * Removes what notifications holds of a deleted user, once their replica is a tombstone: their
 * open streams (on every pod), their queued emails and account mails (reset and verification
 * links), their email deliveries (digest items included), their inbox and unread count, their
 * name in other users' notifications, and the live backlog's messages about them. Every step can
 * run again: a redelivered `user.deleted` finishes what a crash left.
 */
export async function forgetUser(deps: ForgetUserDeps, userId: string): Promise<void> {
  await deps.live.publish({ type: 'account-deleted', userId });

  // Jobs go before the deliveries that find them, so a crash in between leaves them findable.
  const pending = await EmailDelivery.find(
    { recipientId: userId, status: 'pending' },
    { _id: 1 },
  ).lean();
  await deps.jobs.removeJobsOf(
    userId,
    pending.map((delivery) => delivery._id.toHexString()),
  );
  await EmailDelivery.deleteMany({ recipientId: userId });
  await Notification.deleteMany({ recipientId: userId });
  await deps.counter.forget(userId);

  await removeNameFromOthers(userId);
  await deps.live.forget(userId);
}

/** Other users' notifications that named the user say "Someone" instead. */
async function removeNameFromOthers(userId: string): Promise<void> {
  const naming = await Notification.find(
    // A string: the name as written; missing: stored before it was kept (see titleWithoutActor).
    {
      actorId: userId,
      $or: [{ actorName: { $type: 'string' } }, { actorName: { $exists: false } }],
    },
    { title: 1, actorName: 1, kind: 1 },
  ).lean();
  for (const notification of naming) {
    await Notification.updateOne(
      { _id: notification._id },
      { $set: { title: titleWithoutActor(notification), actorName: null } },
    );
  }
}
