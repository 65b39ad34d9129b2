import { randomBytes } from 'node:crypto';
import type { EventData } from '@taskforge/common';
import { signinCookie } from '@taskforge/common/testing';

export const newId = () => randomBytes(12).toString('hex');

export interface SignedInUser {
  id: string;
  cookie: string;
}

/** A signed-in user (a new id unless given), as auth's cookie would make them. */
export function signIn(id = newId()): SignedInUser {
  const { cookie, user } = signinCookie({ id });
  return { id: user.id, cookie };
}

type Preferences = EventData<'user.created'>['preferences']['notifications'];

export function buildUser(
  overrides: {
    id?: string;
    version?: number;
    email?: string;
    firstName?: string | null;
    lastName?: string | null;
    notifications?: Partial<Preferences>;
  } = {},
): EventData<'user.created'> {
  const { notifications, ...rest } = overrides;
  const id = rest.id ?? newId();
  return {
    id,
    version: 0,
    email: `user-${id.slice(0, 8)}@example.test`,
    firstName: null,
    lastName: null,
    preferences: {
      theme: 'system',
      notifications: { email: true, push: true, frequency: 'immediate', ...notifications },
    },
    ...rest,
  };
}

export function buildTask(
  overrides: Partial<EventData<'task.created'>> = {},
): EventData<'task.created'> {
  return {
    id: newId(),
    version: 0,
    teamId: 'team-1',
    title: 'Fix the login page',
    status: 'todo',
    priority: 'medium',
    assigneeId: null,
    creatorId: newId(),
    dueDate: null,
    ...overrides,
  };
}

/** The next version of a task with `changes` computed from what the fields were. */
export function updateTask(
  task: EventData<'task.created'>,
  fields: Partial<EventData<'task.created'>>,
): EventData<'task.updated'> {
  const changes: Record<string, { from: unknown; to: unknown }> = {};
  for (const [field, to] of Object.entries(fields)) {
    changes[field] = { from: (task as Record<string, unknown>)[field] ?? null, to };
  }
  return { ...task, ...fields, version: task.version + 1, changes };
}

/** The task's deletion, as the tasks service publishes it after the task's last event. */
export function deleteTask(task: EventData<'task.created'>): EventData<'task.deleted'> {
  return { id: task.id, version: task.version + 1, teamId: task.teamId, title: task.title };
}

export function buildComment(
  task: EventData<'task.created'>,
  overrides: Partial<EventData<'comment.created'>> = {},
): EventData<'comment.created'> {
  return {
    id: newId(),
    version: 0,
    taskId: task.id,
    teamId: task.teamId,
    taskTitle: task.title,
    taskCreatorId: task.creatorId,
    taskAssigneeId: task.assigneeId,
    authorId: newId(),
    content: 'Looks good',
    mentionedUsers: [],
    ...overrides,
  };
}

export function buildTeam(
  overrides: Partial<EventData<'team.created'>> = {},
): EventData<'team.created'> {
  return {
    id: newId(),
    version: 0,
    name: 'Platform',
    createdBy: newId(),
    permissions: { admin: [], member: [], guest: [] },
    ...overrides,
  };
}

/**
 * A password reset or an email verification someone asked for (the two events' data are alike),
 * its link working for `minutesLeft` more minutes.
 */
export function buildAccountLink(
  overrides: Partial<EventData<'email-verification.requested'>> & { minutesLeft?: number } = {},
): EventData<'email-verification.requested'> {
  const { minutesLeft = 30, ...rest } = overrides;
  const id = newId();
  return {
    id,
    version: 0,
    userId: newId(),
    email: `link-${id}@example.test`,
    token: randomBytes(32).toString('base64url'),
    expiresAt: new Date(Date.now() + minutesLeft * 60_000).toISOString(),
    ...rest,
  };
}
