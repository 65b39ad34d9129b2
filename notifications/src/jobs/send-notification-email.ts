import { EmailDelivery } from '../models/email-delivery';
import { Notification } from '../models/notification';
import { UserReplica } from '../replicas/user';
import { notificationEmail } from '../email/templates';
import type { SendEmail } from '../email/mailer';

export interface EmailDeps {
  send: SendEmail;
  publicUrl: string;
}

export type EmailOutcome = 'sent' | 'skipped' | 'digest' | 'done-already' | 'forgotten';

/**
 * The email job of one notification. It decides with the recipient's preferences as they are
 * now: email off → skipped; a digest frequency → waits for that digest; immediate → sent; their
 * account deleted meanwhile → nothing sent and the delivery forgotten. A recipient not replicated
 * yet, or a failed send, throws, and BullMQ retries with backoff.
 */
export async function sendNotificationEmail(
  deps: EmailDeps,
  notificationId: string,
): Promise<EmailOutcome> {
  const delivery = await EmailDelivery.findById(notificationId).lean();
  if (!delivery || delivery.status !== 'pending') return 'done-already';
  // Every update below is guarded by the pending status, so of two runs of this job (a retry, a
  // stalled job taken over by another pod) only one moves the delivery on.
  const pending = { _id: delivery._id, status: 'pending' as const };

  const user = await UserReplica.findById(delivery.recipientId).lean();
  if (!user) throw new Error('The recipient has not been replicated yet');
  if (user.deleted) {
    await EmailDelivery.deleteOne(pending);
    return 'forgotten';
  }
  const notification = await Notification.findById(notificationId).lean();
  if (!user.emailEnabled || !user.email || !notification) {
    await EmailDelivery.updateOne(pending, { $set: { status: 'skipped' } });
    return 'skipped';
  }
  if (user.frequency !== 'immediate') {
    await EmailDelivery.updateOne(pending, {
      $set: { status: 'digest', frequency: user.frequency },
    });
    return 'digest';
  }
  // Sent before it is marked: a crash in between sends it again rather than never.
  await deps.send(notificationEmail(notification, { ...user, email: user.email }, deps.publicUrl));
  await EmailDelivery.updateOne(pending, { $set: { status: 'sent', sentAt: new Date() } });
  return 'sent';
}
