import { randomUUID } from 'node:crypto';
import type { QueryFilter } from 'mongoose';
import { EmailDelivery, type EmailDeliveryAttrs } from '../models/email-delivery';
import { Notification } from '../models/notification';
import { UserReplica, type NotificationFrequency } from '../replicas/user';
import { digestEmail } from '../email/templates';
import type { EmailDeps } from './send-notification-email';

export type DigestFrequency = Exclude<NotificationFrequency, 'immediate'>;
export const DIGEST_FREQUENCIES: DigestFrequency[] = ['hourly', 'daily', 'weekly'];

/** A digest run that died while holding deliveries gives them up after this long. */
const CLAIM_TIMEOUT_MS = 10 * 60_000;

export interface DigestResult {
  sent: number;
  failed: number;
}

/**
 * Sends each recipient one email listing what waits for the `frequency` digest, then marks it
 * sent. Deliveries are claimed first, so two runs never list the same item; a failed send puts
 * its items back and makes the run throw, so BullMQ retries it with backoff.
 */
export async function runDigest(
  deps: EmailDeps,
  frequency: DigestFrequency,
  now = new Date(),
): Promise<DigestResult> {
  const waiting: QueryFilter<EmailDeliveryAttrs> = {
    frequency,
    $or: [
      { status: 'digest' },
      { status: 'sending', claimedAt: { $lt: new Date(now.getTime() - CLAIM_TIMEOUT_MS) } },
    ],
  };
  const recipients = await EmailDelivery.distinct('recipientId', waiting);
  const result: DigestResult = { sent: 0, failed: 0 };
  let firstError: unknown;

  for (const recipientId of recipients) {
    const claimId = randomUUID();
    await EmailDelivery.updateMany(
      { ...waiting, recipientId },
      { $set: { status: 'sending', claimId, claimedAt: now } },
    );
    const claimed = { claimId, recipientId };
    const deliveries = await EmailDelivery.find(claimed, { _id: 1 }).lean();
    if (deliveries.length === 0) continue;

    const user = await UserReplica.findById(recipientId).lean();
    if (user?.deleted) {
      // Deleted since these waited (user.deleted forgets them too; this catches a late one).
      await EmailDelivery.deleteMany(claimed);
      continue;
    }
    if (!user?.emailEnabled || !user.email) {
      await EmailDelivery.updateMany(claimed, { $set: { status: 'skipped' } });
      continue;
    }
    const items = await Notification.find({ _id: { $in: deliveries.map((d) => d._id) } })
      .sort({ createdAt: 1, _id: 1 })
      .lean();
    try {
      if (items.length > 0) {
        await deps.send(
          digestEmail(items, { ...user, email: user.email }, frequency, deps.publicUrl),
        );
      }
      await EmailDelivery.updateMany(claimed, { $set: { status: 'sent', sentAt: now } });
      result.sent += 1;
    } catch (err) {
      firstError ??= err;
      await EmailDelivery.updateMany(claimed, {
        $set: { status: 'digest', claimId: null, claimedAt: null },
      });
      result.failed += 1;
    }
  }
  if (result.failed > 0) {
    throw new Error(`${result.failed} ${frequency} digest(s) could not be sent; will retry`, {
      cause: firstError,
    });
  }
  return result;
}
