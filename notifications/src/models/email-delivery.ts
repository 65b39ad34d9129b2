import mongoose, { Schema, type Types } from 'mongoose';
import type { NotificationFrequency } from '../replicas/user';

/**
 * - `pending`: the email job has not decided yet (it needs the recipient's replica).
 * - `digest`: waits for the next digest of `frequency`; `sending` while a digest run holds it.
 * - `sent`, `skipped` (email turned off): done.
 */
export const DELIVERY_STATUSES = ['pending', 'digest', 'sending', 'sent', 'skipped'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/** The email side of one notification (same `_id`), written only by the mail pipeline. */
export interface EmailDeliveryAttrs {
  _id: Types.ObjectId;
  recipientId: string;
  status: DeliveryStatus;
  frequency: NotificationFrequency | null;
  /** The digest run holding a `sending` delivery, and since when (a stale claim is retaken). */
  claimId: string | null;
  claimedAt: Date | null;
  sentAt: Date | null;
  createdAt: Date;
}

const emailDeliverySchema = new Schema<EmailDeliveryAttrs>(
  {
    recipientId: { type: String, required: true },
    status: { type: String, enum: [...DELIVERY_STATUSES], required: true },
    frequency: { type: String, default: null },
    claimId: { type: String, default: null },
    claimedAt: { type: Date, default: null },
    sentAt: { type: Date, default: null },
    createdAt: { type: Date, default: () => new Date() },
  },
  { versionKey: false },
);
// A digest run: what waits for its frequency, per recipient, oldest first.
emailDeliverySchema.index({ status: 1, frequency: 1, recipientId: 1, createdAt: 1 });
emailDeliverySchema.index({ claimId: 1 });

export const EmailDelivery = mongoose.model<EmailDeliveryAttrs>(
  'EmailDelivery',
  emailDeliverySchema,
);
