import { randomBytes } from 'node:crypto';
import {
  buildEvent,
  createLogger,
  PERMISSIONS,
  type EventData,
  type EventEnvelope,
  type Listener,
  type ListenerContext,
  type Permission,
  type Role,
  type Subject,
} from '@taskforge/common';
import { signinCookie } from '@taskforge/common/testing';
import type { Express } from 'express';
import request from 'supertest';
import type { TaskResponse } from '../contracts/tasks';
import { tasksListeners } from '../events/listeners';
import {
  PRIORITY_RANK,
  statsBucketOf,
  Task,
  weekOf,
  type TaskPriority,
  type TaskStatus,
} from '../models/task';
import { Types } from 'mongoose';

export interface SignedInUser {
  id: string;
  cookie: string;
}

export function signIn(id?: string): SignedInUser {
  const { cookie, user } = signinCookie(id ? { id } : {});
  return { id: user.id, cookie };
}

/** What the teams service grants by default: admins everything, members the daily work. */
export const DEFAULT_PERMISSIONS: Record<Role, Permission[]> = {
  admin: [...PERMISSIONS],
  member: ['task.create', 'task.update', 'task.assign', 'comment.create'],
  guest: [],
};

const listeners = new Map(tasksListeners().map((listener) => [listener.subject, listener]));
const silent = createLogger('tasks-test', { NODE_ENV: 'test' });

/**
 * Hands an event to this service's listener for its subject, as the consumer would after
 * reading it from the stream; returns the listener's verdict.
 */
export async function deliver<S extends Subject>(
  subject: S,
  data: EventData<S>,
): Promise<'ack' | 'retry'> {
  const listener = listeners.get(subject) as Listener<S> | undefined;
  if (!listener) throw new Error(`no listener for ${subject}`);
  const event = buildEvent(subject, data) as EventEnvelope<S>;
  const result = await listener.onMessage(event.data, {
    event,
    msg: {} as ListenerContext<S>['msg'],
    logger: silent,
  });
  return result === 'retry' ? 'retry' : 'ack';
}

export const newId = () => randomBytes(12).toString('hex');

export interface TestTeam {
  id: string;
  admin: SignedInUser;
  member: SignedInUser;
  guest: SignedInUser;
}

/** A team replica as `team.created` makes it, with an admin, a member and a guest. */
export async function createTeam(
  permissions: Record<Role, Permission[]> = DEFAULT_PERMISSIONS,
): Promise<TestTeam> {
  const id = newId();
  const admin = signIn();
  await deliver('team.created', {
    id,
    version: 0,
    name: `Team ${id.slice(0, 4)}`,
    createdBy: admin.id,
    permissions,
  });
  const team = { id, admin, member: signIn(), guest: signIn() };
  await addMember(id, team.admin, 'admin');
  await addMember(id, team.member, 'member');
  await addMember(id, team.guest, 'guest');
  return team;
}

export async function addMember(teamId: string, user: SignedInUser, role: Role, version = 0) {
  await deliver('member.added', { teamId, userId: user.id, role, version });
  return user;
}

export function buildTaskInput(overrides: Record<string, unknown> = {}) {
  return { title: `Task ${randomBytes(3).toString('hex')}`, ...overrides };
}

/** Creates a task through the API (as the team's member unless told otherwise). */
export async function createTask(
  app: Express,
  team: TestTeam,
  overrides: Record<string, unknown> = {},
  user: SignedInUser = team.member,
): Promise<TaskResponse> {
  const res = await request(app)
    .post('/api/tasks')
    .set('Cookie', user.cookie)
    .send({ teamId: team.id, ...buildTaskInput(overrides) });
  if (res.status !== 201)
    throw new Error(`create failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as TaskResponse;
}

const HOUR_MS = 3_600_000;

export interface StoredTaskSpec {
  title?: string;
  description?: string;
  status?: TaskStatus;
  priority?: TaskPriority;
  assigneeId?: string | null;
  dueDate?: Date | null;
  tags?: string[];
  customFields?: Record<string, unknown>;
  ticketId?: string | null;
  position?: number;
  /** A second apart from 2030-01-01 in the order given, unless told. */
  createdAt?: Date;
  updatedAt?: Date;
  cycleHours?: number;
  teamId?: string;
  deleted?: boolean;
  deletedAt?: Date | null;
  /** The task's id (and so its stats bucket); a new one unless told. */
  id?: string;
}

/**
 * Tasks as the routes would have stored them, with creation and completion where told,
 * written straight to the database (no event, no cache or stats generation bump), so that a
 * test controls every stored field; returns the stored documents.
 */
export async function insertStoredTasks(team: TestTeam, specs: StoredTaskSpec[]) {
  const docs = specs.map((spec, i) => {
    const _id = spec.id ? new Types.ObjectId(spec.id) : new Types.ObjectId();
    const createdAt = spec.createdAt ?? new Date(Date.UTC(2030, 0, 1, 0, 0, i));
    const status = spec.status ?? (spec.cycleHours !== undefined ? 'done' : 'todo');
    const completedAt =
      spec.cycleHours !== undefined
        ? new Date(createdAt.getTime() + spec.cycleHours * HOUR_MS)
        : null;
    const priority = spec.priority ?? 'medium';
    return {
      _id,
      teamId: spec.teamId ?? team.id,
      title: spec.title ?? `Task ${i}`,
      description: spec.description ?? '',
      status,
      priority,
      priorityRank: PRIORITY_RANK[priority],
      assigneeId: spec.assigneeId ?? null,
      creatorId: team.member.id,
      dueDate: spec.dueDate ?? null,
      tags: spec.tags ?? [],
      customFields: spec.customFields ?? {},
      ticketId: spec.ticketId ?? null,
      attachments: [],
      position: spec.position ?? i,
      createdAt,
      updatedAt: spec.updatedAt ?? createdAt,
      completedAt,
      deletedAt: spec.deletedAt ?? (spec.deleted ? new Date() : null),
      createdWeek: weekOf(createdAt),
      completedWeek: completedAt ? weekOf(completedAt) : null,
      cycleTimeMs: spec.cycleHours !== undefined ? spec.cycleHours * HOUR_MS : null,
      statsBucket: statsBucketOf(_id.toString()),
      version: 0,
      outbox: [],
    };
  });
  await Task.collection.insertMany(docs);
  return docs;
}
