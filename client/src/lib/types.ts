/**
 * The API shapes the client reads, as each service's OpenAPI document describes them
 * (`/api/<service>/docs.json`). Kept by hand: the client is a consumer like any other.
 */

export const TASK_STATUSES = ['backlog', 'todo', 'in_progress', 'in_review', 'done'] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];
export const TASK_PRIORITIES = ['low', 'medium', 'high', 'urgent'] as const;
export type TaskPriority = (typeof TASK_PRIORITIES)[number];
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
export const THEMES = ['light', 'dark', 'system'] as const;
export type Theme = (typeof THEMES)[number];
export const NOTIFICATION_FREQUENCIES = ['immediate', 'hourly', 'daily', 'weekly'] as const;
export type NotificationFrequency = (typeof NOTIFICATION_FREQUENCIES)[number];

export const STATUS_LABELS: Record<TaskStatus, string> = {
  backlog: 'Backlog',
  todo: 'To do',
  in_progress: 'In progress',
  in_review: 'In review',
  done: 'Done',
};
export const PRIORITY_LABELS: Record<TaskPriority, string> = {
  low: 'Low',
  medium: 'Medium',
  high: 'High',
  urgent: 'Urgent',
};

export interface User {
  id: string;
  email: string;
  /** Whether the link mailed to `email` was opened: teammates can add only a verified address. */
  emailVerified: boolean;
  /** A new address the account takes once the link mailed to it is opened. */
  pendingEmail: string | null;
  firstName: string | null;
  lastName: string | null;
  bio: string | null;
  avatarUrl: string | null;
  preferences: {
    theme: Theme;
    notifications: { email: boolean; push: boolean; frequency: NotificationFrequency };
  };
  createdAt: string;
  version: number;
}

export interface Ticket {
  id: string;
  title: string;
  price: number;
  userId: string;
  version: number;
  orderId?: string;
}

export interface Team {
  id: string;
  name: string;
  description: string | null;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
  version: number;
  role: Role;
}
export type RolePermissions = Record<Role, Permission[]>;
export interface TeamWithPermissions extends Team {
  permissions: RolePermissions;
}
export interface TeamListItem extends Team {
  joinedAt: string;
}

export interface Member {
  userId: string;
  role: Role;
  joinedAt: string;
  version: number;
  email: string | null;
  firstName: string | null;
  lastName: string | null;
}

export interface AuditEntry {
  id: string;
  eventId: string;
  subject: string;
  entityType: string;
  entityId: string;
  action: string;
  teamId: string | null;
  actorId: string | null;
  occurredAt: string;
  previousState: unknown;
  newState: unknown;
}

export interface Attachment {
  id: string;
  name: string;
  size: number;
  mimetype: string;
  uploadedAt: string;
  uploadedBy: string;
}

export type CustomFieldValue = string | number | boolean;

export interface Task {
  id: string;
  teamId: string;
  title: string;
  description: string;
  status: TaskStatus;
  priority: TaskPriority;
  assigneeId: string | null;
  creatorId: string;
  dueDate: string | null;
  tags: string[];
  customFields: Record<string, CustomFieldValue>;
  ticketId: string | null;
  attachments: Attachment[];
  position: number;
  createdAt: string;
  updatedAt: string;
  completedAt: string | null;
  version: number;
}

export interface Comment {
  id: string;
  taskId: string;
  authorId: string;
  content: string;
  mentionedUsers: string[];
  createdAt: string;
  editedAt: string | null;
  version: number;
}

export interface Activity {
  id: string;
  type:
    'task.created' | 'task.updated' | 'comment.created' | 'attachment.added' | 'attachment.removed';
  actorId: string | null;
  at: string;
  changes: Array<{ field: string; from: unknown; to: unknown }>;
  commentId?: string;
  attachment?: { id: string; name: string };
}

export interface Stats {
  total: number;
  byStatus: Record<TaskStatus, number>;
  byPriority: Record<TaskPriority, number>;
  byAssignee: Array<{ assigneeId: string | null; count: number }>;
  overdue: number;
  weekly: Array<{ week: string; created: number; completed: number }>;
  medianCycleTimeMs: number | null;
}

export interface Notification {
  id: string;
  kind: string;
  title: string;
  link: string;
  actorId: string | null;
  teamId: string | null;
  taskId: string | null;
  read: boolean;
  readAt: string | null;
  createdAt: string;
}

export interface Upload {
  uploadId: string;
  uploadUrl: string;
  method: 'PUT';
  headers: Record<string, string>;
  expiresAt: string;
}

/**
 * What the notifications stream sends about a task (`task.*` board messages): the event's data.
 * `task.created|updated` state the task's board fields whole (`position` only since it was added
 * to the events) and `task.updated` the changed fields, each `{ from, to }`.
 */
export interface BoardTaskEvent {
  id: string;
  teamId: string;
  version: number;
  title?: string;
  status?: TaskStatus;
  priority?: TaskPriority;
  assigneeId?: string | null;
  dueDate?: string | null;
  tags?: string[];
  ticketId?: string | null;
  position?: number;
  changes?: Record<string, { from: unknown; to: unknown }>;
}
