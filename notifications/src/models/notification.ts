import { createHash } from 'node:crypto';
import mongoose, { Schema, Types } from 'mongoose';

export const NOTIFICATION_KINDS = [
  'task.assigned',
  'task.status_changed',
  'task.due_soon',
  'comment.created',
  'comment.mentioned',
  'member.added',
  'member.role_changed',
] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

export const TITLE_MAX_LENGTH = 300;

/**
 * One item of a user's inbox. Its text is written when it is created (names and titles as they
 * were then), so reading the inbox needs no other collection. Email delivery state lives in
 * `EmailDelivery`, not here: the inbox and the mailer each write a document of their own.
 */
export interface NotificationAttrs {
  _id: Types.ObjectId;
  recipientId: string;
  kind: NotificationKind;
  /** The event that caused it (or a synthetic id for due-soon): one event, one notification. */
  sourceEventId: string;
  actorId: string | null;
  teamId: string | null;
  taskId: string | null;
  title: string;
  /** Path in the web app, relative to PUBLIC_URL. */
  link: string;
  read: boolean;
  readAt: Date | null;
  createdAt: Date;
}

export interface NotificationResponse {
  id: string;
  kind: NotificationKind;
  title: string;
  link: string;
  actorId: string | null;
  teamId: string | null;
  taskId: string | null;
  read: boolean;
  readAt: string | null;
  createdAt: string;
}

const notificationSchema = new Schema<NotificationAttrs>(
  {
    recipientId: { type: String, required: true },
    kind: { type: String, enum: [...NOTIFICATION_KINDS], required: true },
    sourceEventId: { type: String, required: true },
    actorId: { type: String, default: null },
    teamId: { type: String, default: null },
    taskId: { type: String, default: null },
    title: { type: String, required: true, maxlength: TITLE_MAX_LENGTH },
    link: { type: String, required: true },
    read: { type: Boolean, default: false },
    readAt: { type: Date, default: null },
    createdAt: { type: Date, default: () => new Date() },
  },
  { versionKey: false },
);
// A redelivered event inserts nothing: the duplicate key is the signal it was handled.
notificationSchema.index({ sourceEventId: 1, recipientId: 1, kind: 1 }, { unique: true });
// The inbox, newest first, whole or unread only; and the unread count.
notificationSchema.index({ recipientId: 1, createdAt: -1, _id: -1 });
notificationSchema.index({ recipientId: 1, read: 1, createdAt: -1, _id: -1 });

export const Notification = mongoose.model<NotificationAttrs>('Notification', notificationSchema);

export const OBJECT_ID = /^[0-9a-f]{24}$/i;

/**
 * A notification's `_id`, derived from what makes it unique (event, recipient, kind): a
 * redelivered event finds its notification by `_id`, and two pods handling the same event
 * insert it once (the second meets the duplicate key).
 */
export function notificationIdFor(key: {
  sourceEventId: string;
  recipientId: string;
  kind: NotificationKind;
}): Types.ObjectId {
  const digest = createHash('sha256')
    .update(`${key.sourceEventId}\n${key.recipientId}\n${key.kind}`)
    .digest();
  return new Types.ObjectId(digest.subarray(0, 12));
}

export function toNotificationResponse(doc: NotificationAttrs): NotificationResponse {
  return {
    id: doc._id.toHexString(),
    kind: doc.kind,
    title: doc.title,
    link: doc.link,
    actorId: doc.actorId,
    teamId: doc.teamId,
    taskId: doc.taskId,
    read: doc.read,
    readAt: doc.readAt?.toISOString() ?? null,
    createdAt: doc.createdAt.toISOString(),
  };
}
