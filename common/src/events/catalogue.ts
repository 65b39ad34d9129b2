import { z } from 'zod';

/*
 * The event catalogue: every subject the suite publishes, its schema version and the runtime
 * schema its data must match. Consumers are tolerant readers (unknown fields are kept and
 * ignored); a breaking change gets a new schema version.
 */

const id = z.string().min(1).max(64);
const version = z.number().int().min(0);
const isoDate = z.iso.datetime({ offset: true });

export const ROLES = ['admin', 'member', 'guest'] as const;
export type Role = (typeof ROLES)[number];

export const PERMISSIONS = [
  'task.create',
  'task.update',
  'task.delete',
  'task.assign',
  'comment.create',
  'member.manage',
  'team.update',
  'team.delete',
  'audit.read',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

export const TASK_STATUSES = ['backlog', 'todo', 'in_progress', 'in_review', 'done'] as const;
export const TASK_PRIORITIES = ['low', 'medium', 'high', 'urgent'] as const;
export const NOTIFICATION_FREQUENCIES = ['immediate', 'hourly', 'daily', 'weekly'] as const;
export const THEMES = ['light', 'dark', 'system'] as const;

const preferences = z.looseObject({
  theme: z.enum(THEMES),
  notifications: z.looseObject({
    email: z.boolean(),
    push: z.boolean(),
    frequency: z.enum(NOTIFICATION_FREQUENCIES),
  }),
});

const emailAddress = z.string().email();

/** RFC 5321's limit on a forward path. */
export const EMAIL_MAX_LENGTH = 254;

/**
 * The one rule for an email address given to a route: what user events may carry, within RFC
 * 5321's length (checked first, so a huge string never reaches the pattern). Input validators use
 * it, so no address passes a route and then fails its own event (validator.js' isEmail lets
 * through addresses such as `'@example.test` that this refuses).
 */
export function isEmailAddress(value: unknown): boolean {
  return (
    typeof value === 'string' &&
    value.length <= EMAIL_MAX_LENGTH &&
    emailAddress.safeParse(value).success
  );
}

const user = z.looseObject({
  id,
  version,
  email: emailAddress,
  firstName: z.string().nullable().optional(),
  lastName: z.string().nullable().optional(),
  avatarUrl: z.string().nullable().optional(),
  preferences,
  /**
   * Raised by "sign out everywhere", a password change or reset: session tokens of a lower
   * session version are refused by every service that has seen this (absent: 0).
   */
  sessionVersion: version.optional(),
  /**
   * Whether the owner of the account has shown they read mail at `email` (the link of
   * `email-verification.requested`). Absent on events from before verification existed: those
   * accounts were never asked, and count as verified.
   */
  emailVerified: z.boolean().optional(),
});

/**
 * An account deleted by its owner: the user's last version (it follows their `user.updated`s).
 * It carries no personal data; every service forgets what it holds of the user and keeps at most
 * a tombstone (the id, the version, `deleted`), so a late `user.updated` cannot bring them back.
 */
const userDeleted = z.looseObject({ id, version });

const ticket = z.looseObject({
  id,
  version,
  title: z.string(),
  price: z.number(),
  userId: id,
  orderId: id.nullable().optional(),
});

const rolePermissions = z.record(z.enum(ROLES), z.array(z.enum(PERMISSIONS)));

const team = z.looseObject({
  id,
  version,
  name: z.string(),
  description: z.string().nullable().optional(),
  createdBy: id,
  permissions: rolePermissions,
});

const teamDeleted = z.looseObject({ id, version, name: z.string().optional() });

const member = z.looseObject({
  teamId: id,
  userId: id,
  role: z.enum(ROLES),
  version,
  previousRole: z.enum(ROLES).nullable().optional(),
});

const fieldChange = z.looseObject({ from: z.unknown(), to: z.unknown() });

const task = z.looseObject({
  id,
  version,
  teamId: id,
  title: z.string(),
  status: z.enum(TASK_STATUSES),
  priority: z.enum(TASK_PRIORITIES),
  assigneeId: id.nullable(),
  creatorId: id,
  dueDate: isoDate.nullable().optional(),
  ticketId: id.nullable().optional(),
  tags: z.array(z.string()).optional(),
  // Where the card sits in its status column (smaller first), so a board can place a moved task
  // without reading it. Optional: events published before it was added do not carry it.
  position: z.number().optional(),
});

const taskUpdated = task.extend({
  changes: z.record(z.string(), fieldChange),
});

const taskDeleted = z.looseObject({
  id,
  version,
  teamId: id,
  title: z.string(),
  assigneeId: id.nullable().optional(),
  creatorId: id.optional(),
});

const comment = z.looseObject({
  id,
  version,
  taskId: id,
  teamId: id,
  taskTitle: z.string(),
  taskCreatorId: id,
  taskAssigneeId: id.nullable(),
  authorId: id,
  content: z.string(),
  mentionedUsers: z.array(id),
});

const attachment = z.looseObject({
  id,
  taskId: id,
  teamId: id,
  version,
  name: z.string(),
  size: z.number().int().min(0),
  mimetype: z.string(),
  uploadedBy: id,
});

/**
 * A password reset someone asked for: the single-use token of the link notifications mails
 * (only its hash stays in auth). A reset is one entity of its own, version 0 and no other.
 */
const passwordReset = z.looseObject({
  id,
  version,
  userId: id,
  email: emailAddress,
  token: z.string().min(32).max(128),
  expiresAt: isoDate,
});

/**
 * A link to prove an address is the user's (at sign-up, and for a new address before the
 * account takes it): the single-use token notifications mails to `email`. One entity of its own,
 * version 0 and no other.
 */
const emailVerification = z.looseObject({
  id,
  version,
  userId: id,
  email: emailAddress,
  token: z.string().min(32).max(128),
  expiresAt: isoDate,
});

/**
 * A subject, its schema version and its schema. For an event that carries a secret:
 * `secretFields` names the fields no consumer may store (an audit log records the event without
 * them), `streamTtl` how long the stream keeps it (JetStream's per-message TTL); other events stay
 * as long as the stream's limits.
 */
function entry<T extends z.ZodType>(
  schema: T,
  schemaVersion = 1,
  options: { streamTtl?: string; secretFields?: readonly string[] } = {},
) {
  return {
    schema,
    schemaVersion,
    streamTtl: options.streamTtl,
    secretFields: options.secretFields ?? [],
  };
}

export const eventCatalogue = {
  'user.created': entry(user),
  'user.updated': entry(user),
  'user.deleted': entry(userDeleted),
  'ticket.created': entry(ticket),
  'ticket.updated': entry(ticket),
  'ticket.deleted': entry(ticket),
  'team.created': entry(team),
  'team.updated': entry(team),
  'team.deleted': entry(teamDeleted),
  'member.added': entry(member),
  'member.updated': entry(member),
  'member.removed': entry(member),
  'task.created': entry(task),
  'task.updated': entry(taskUpdated),
  'task.deleted': entry(taskDeleted),
  'comment.created': entry(comment),
  'comment.updated': entry(comment),
  'comment.deleted': entry(comment),
  'attachment.added': entry(attachment),
  'attachment.removed': entry(attachment),
  // Gone from the stream an hour after it was published, past the link's expiry.
  'password-reset.requested': entry(passwordReset, 1, {
    streamTtl: '1h',
    secretFields: ['token'],
  }),
  // Gone from the stream a day and an hour after it was published, past the link's expiry.
  'email-verification.requested': entry(emailVerification, 1, {
    streamTtl: '25h',
    secretFields: ['token'],
  }),
} as const;

export type Subject = keyof typeof eventCatalogue;
export type EventData<S extends Subject> = z.output<(typeof eventCatalogue)[S]['schema']>;

export const SUBJECTS = Object.keys(eventCatalogue) as Subject[];

export function isSubject(value: string): value is Subject {
  return Object.prototype.hasOwnProperty.call(eventCatalogue, value);
}

/** An event's data without the fields its catalogue entry calls secret, for keeping. */
export function withoutSecrets(
  subject: string,
  data: Record<string, unknown>,
): Record<string, unknown> {
  const secret: readonly string[] = isSubject(subject) ? eventCatalogue[subject].secretFields : [];
  return Object.fromEntries(Object.entries(data).filter(([field]) => !secret.includes(field)));
}

/** The stream holding every domain event of the suite (`retention: limits`, so new services replay). */
export const EVENT_STREAM = 'TASKFORGE_EVENTS';
export const EVENT_STREAM_SUBJECTS = [...new Set(SUBJECTS.map((s) => `${s.split('.')[0]}.>`))];
