/**
 * The API shapes the client reads, named once for the UI. Each is an alias of a schema in the
 * services' OpenAPI documents (`/api/<service>/docs.json`), whose types `npm run api-types`
 * writes into ./api from the services' contracts: nothing here is typed by hand.
 */
import type { components as AuthApi } from './api/auth';
import type { components as NotificationsApi } from './api/notifications';
import type { components as TasksApi } from './api/tasks';
import type { components as TeamsApi } from './api/teams';
import type { components as TicketsApi } from './api/tickets';

type AuthSchemas = AuthApi['schemas'];
type TicketsSchemas = TicketsApi['schemas'];
type TeamsSchemas = TeamsApi['schemas'];
type TasksSchemas = TasksApi['schemas'];
type NotificationsSchemas = NotificationsApi['schemas'];

export type User = AuthSchemas['User'];
export type PublicUser = AuthSchemas['PublicUser'];
export type Ticket = TicketsSchemas['Ticket'];
/** A team as one of its members sees it (`GET /api/teams/:id`), with what each role may do. */
export type Team = TeamsSchemas['Team'];
export type TeamWithPermissions = Team;
export type TeamListItem = TeamsSchemas['TeamListItem'];
export type RolePermissions = TeamsSchemas['RolePermissions'];
export type Member = TeamsSchemas['Member'];
export type AuditEntry = TeamsSchemas['AuditEntry'];
export type Task = TasksSchemas['Task'];
export type CustomFieldValue = Task['customFields'][string];
export type Attachment = TasksSchemas['Attachment'];
export type Comment = TasksSchemas['Comment'];
export type Activity = TasksSchemas['Activity'];
export type Stats = TasksSchemas['Stats'];
export type Upload = TasksSchemas['Upload'];
export type Notification = NotificationsSchemas['Notification'];
/** The suite's error shape, the same in every document: `{ errors: [{ message, field? }] }`. */
export type ErrorResponse = TasksSchemas['ErrorResponse'];

export type TaskStatus = Task['status'];
export type TaskPriority = Task['priority'];
export type Role = TeamsSchemas['Role'];
export type Permission = TeamsSchemas['Permission'];
export type Theme = AuthSchemas['Preferences']['theme'];
export type NotificationFrequency = AuthSchemas['Preferences']['notifications']['frequency'];

/**
 * A documented enum's values, in the order the UI shows them. The list compiles only when it
 * names every value the document allows and no other, so a value added to a contract fails the
 * client's typecheck here (naming what is `missing`) until the UI lists it.
 */
function allOf<T extends string>() {
  return <const L extends readonly T[]>(
    values: L &
      ([Exclude<T, L[number]>] extends [never] ? unknown : { missing: Exclude<T, L[number]> }),
  ): L => values;
}

export const TASK_STATUSES = allOf<TaskStatus>()([
  'backlog',
  'todo',
  'in_progress',
  'in_review',
  'done',
]);
export const TASK_PRIORITIES = allOf<TaskPriority>()(['low', 'medium', 'high', 'urgent']);
export const ROLES = allOf<Role>()(['admin', 'member', 'guest']);
export const PERMISSIONS = allOf<Permission>()([
  'task.create',
  'task.update',
  'task.delete',
  'task.assign',
  'comment.create',
  'member.manage',
  'team.update',
  'team.delete',
  'audit.read',
]);
export const THEMES = allOf<Theme>()(['light', 'dark', 'system']);
export const NOTIFICATION_FREQUENCIES = allOf<NotificationFrequency>()([
  'immediate',
  'hourly',
  'daily',
  'weekly',
]);

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

/**
 * What the notifications stream sends about a task (`task.*` board messages): the event's data,
 * which no OpenAPI document describes (the stream is `text/event-stream`), in the task's own
 * field types. `task.created|updated` state the task's board fields whole (`position` only since
 * it was added to the events) and `task.updated` the changed fields, each `{ from, to }`.
 */
export type BoardTaskEvent = Pick<Task, 'id' | 'teamId' | 'version'> &
  Partial<
    Pick<
      Task,
      'title' | 'status' | 'priority' | 'assigneeId' | 'dueDate' | 'tags' | 'ticketId' | 'position'
    >
  > & {
    changes?: Record<string, { from: unknown; to: unknown }>;
  };
