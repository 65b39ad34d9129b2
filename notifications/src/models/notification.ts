import { createHash } from 'node:crypto';
import mongoose, { Schema, Types } from 'mongoose';
import type { NotificationResponse } from '../contracts/notifications';
import { SOMEONE } from '../replicas/user';

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
 * were then), so reading the inbox needs no other collection; when the actor's account is
 * deleted, their name in it becomes "Someone" (see `titleWithoutActor`). Email delivery state
 * lives in `EmailDelivery`, not here: the inbox and the mailer each write a document of their own.
 */
export interface NotificationAttrs {
  _id: Types.ObjectId;
  recipientId: string;
  kind: NotificationKind;
  /** The event that caused it (or a synthetic id for due-soon): one event, one notification. */
  sourceEventId: string;
  actorId: string | null;
  /**
   * The actor's name as the title begins with it, so it can be taken out again; null when the
   * title names nobody (or no longer does). Never part of a response.
   */
  actorName?: string | null;
  teamId: string | null;
  taskId: string | null;
  title: string;
  /** Path in the web app, relative to PUBLIC_URL. */
  link: string;
  read: boolean;
  readAt: Date | null;
  createdAt: Date;
}

const notificationSchema = new Schema<NotificationAttrs>(
  {
    recipientId: { type: String, required: true },
    kind: { type: String, enum: [...NOTIFICATION_KINDS], required: true },
    sourceEventId: { type: String, required: true },
    actorId: { type: String, default: null },
    actorName: { type: String, default: null },
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
// What a deleted user's name is taken out of.
notificationSchema.index({ actorId: 1 });

export const Notification = mongoose.model<NotificationAttrs>('Notification', notificationSchema);

/** Sequences above this do not fit the six bytes an `_id` gives them. */
export const MAX_ID_SEQUENCE = 2 ** 48 - 1;

/**
 * A notification's `_id`: six bytes of its event's stream sequence (big-endian), then six of a
 * hash of what makes it unique (event, recipient, kind). The inbox sorts by `createdAt` and
 * then `_id`, so notifications of one millisecond list in the order the bus carried their
 * events. A redelivered event has the same sequence and so finds its notification by `_id`,
 * and two pods handling one event insert it once (the second meets the duplicate key); an
 * event published again under a new sequence meets the unique index on its key instead.
 */
export function notificationIdFor(
  key: { sourceEventId: string; recipientId: string; kind: NotificationKind },
  sequence: number,
): Types.ObjectId {
  if (!Number.isSafeInteger(sequence) || sequence < 0 || sequence > MAX_ID_SEQUENCE) {
    throw new RangeError(`stream sequence out of range: ${sequence}`);
  }
  const id = Buffer.alloc(12);
  id.writeUIntBE(sequence, 0, 6);
  createHash('sha256')
    .update(`${key.sourceEventId}\n${key.recipientId}\n${key.kind}`)
    .digest()
    .copy(id, 6, 0, 6);
  return new Types.ObjectId(id);
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

/**
 * What the text after the actor's name starts with, by kind, for notifications stored before
 * `actorName` was: the name is what comes before it.
 */
const AFTER_ACTOR_NAME: Partial<Record<NotificationKind, string>> = {
  'task.assigned': ' assigned you “',
  'task.status_changed': ' moved “',
  'comment.mentioned': ' mentioned you on “',
  'comment.created': ' commented on “',
  'member.added': ' added you to ',
  'member.role_changed': ' made you ',
};

/** The title with its actor's name replaced by "Someone" (unchanged when it names nobody). */
export function titleWithoutActor(
  doc: Pick<NotificationAttrs, 'title' | 'actorName' | 'kind'>,
): string {
  const { title, actorName, kind } = doc;
  if (typeof actorName === 'string') {
    return title.startsWith(actorName) ? SOMEONE + title.slice(actorName.length) : title;
  }
  if (actorName === null) return title;
  const after = AFTER_ACTOR_NAME[kind];
  const end = after ? title.indexOf(after) : -1;
  return end > 0 ? SOMEONE + title.slice(end) : title;
}
