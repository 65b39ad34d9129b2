import { randomBytes } from 'node:crypto';
import type { EventEnvelope, Permission, Role, Subject } from '@taskforge/common';
import { readEvents, signinCookie, waitFor } from '@taskforge/common/testing';
import type { Express } from 'express';
import type { Pool } from 'pg';
import request from 'supertest';
import type { Db } from '../db/queryable';
import { DEFAULT_ROLE_PERMISSIONS, type RolePermissions } from '../models/teams';
import { applyUserEvent } from '../replicas/user';
import type { MemberResponse } from '../contracts/members';
import type { TeamResponse } from '../contracts/teams';

export type { MemberResponse, TeamResponse };

export interface TestUser {
  id: string;
  email: string;
  cookie: string;
}

/** A signed-in user with a fresh id, as auth's cookie would make them (not in the directory). */
export function signIn(): TestUser {
  const { cookie, user } = signinCookie();
  return { id: user.id, email: user.email, cookie };
}

/** A signed-in user that the directory knows, as if their user.created had arrived. */
export async function directoryUser(
  pool: Pool,
  names: { firstName?: string; lastName?: string } = {},
): Promise<TestUser> {
  const user = signIn();
  await applyUserEvent(pool, {
    id: user.id,
    version: 0,
    email: user.email,
    firstName: names.firstName ?? 'Test',
    lastName: names.lastName ?? `User ${randomBytes(2).toString('hex')}`,
    avatarUrl: null,
    preferences: {
      theme: 'system',
      notifications: { email: true, push: true, frequency: 'immediate' },
    },
  });
  return user;
}

export async function createTeam(
  app: Express,
  owner: TestUser,
  input: { name?: string; description?: string | null } = {},
): Promise<TeamResponse> {
  const res = await request(app)
    .post('/api/teams')
    .set('Cookie', owner.cookie)
    .send({ name: `Team ${randomBytes(3).toString('hex')}`, ...input })
    .expect(201);
  return res.body as TeamResponse;
}

export async function addMember(
  app: Express,
  teamId: string,
  by: TestUser,
  user: TestUser,
  role: Role = 'member',
): Promise<MemberResponse> {
  const res = await request(app)
    .post(`/api/teams/${teamId}/members`)
    .set('Cookie', by.cookie)
    .send({ userId: user.id, role })
    .expect(201);
  return res.body as MemberResponse;
}

export interface TeamWithRoles {
  team: TeamResponse;
  admin: TestUser;
  member: TestUser;
  guest: TestUser;
  outsider: TestUser;
}

/** A team with one user of each role, and a signed-in user who is not in it. */
export async function teamWithRoles(app: Express, pool: Pool): Promise<TeamWithRoles> {
  const [admin, member, guest, outsider] = await Promise.all([
    directoryUser(pool),
    directoryUser(pool),
    directoryUser(pool),
    directoryUser(pool),
  ]);
  const team = await createTeam(app, admin);
  await addMember(app, team.id, admin, member, 'member');
  await addMember(app, team.id, admin, guest, 'guest');
  return { team, admin, member, guest, outsider };
}

/** Replaces what each role of the team may do, as its admin `by`. */
export async function setPermissions(
  app: Express,
  teamId: string,
  by: TestUser,
  permissions: RolePermissions,
): Promise<void> {
  await request(app)
    .put(`/api/teams/${teamId}/permissions`)
    .set('Cookie', by.cookie)
    .send({ permissions })
    .expect(200);
}

/** Lets the members of the team do `permission` too, on top of the defaults. */
export function grantToMembers(
  app: Express,
  teamId: string,
  admin: TestUser,
  permission: Permission,
): Promise<void> {
  return setPermissions(app, teamId, admin, {
    ...DEFAULT_ROLE_PERMISSIONS,
    member: [...DEFAULT_ROLE_PERMISSIONS.member, permission],
  });
}

/** member.* events of one membership on the stream, waiting until `count` arrived. */
export function memberEvents(
  natsUrl: string,
  teamId: string,
  userId: string,
  count: number,
  subjects: Subject[] = ['member.added', 'member.updated', 'member.removed'],
): Promise<EventEnvelope[]> {
  return waitFor(async () => {
    const events = (await readEvents(natsUrl)).filter((event) => {
      const data = event.data as { teamId?: string; userId?: string };
      return subjects.includes(event.subject) && data.teamId === teamId && data.userId === userId;
    });
    return events.length >= count ? events : undefined;
  });
}

/** Rows of a table, for checking what a request stored. */
export async function rowsOf<T = Record<string, unknown>>(
  db: Db,
  sql: string,
  values: unknown[] = [],
): Promise<T[]> {
  return (await db.query(sql, values)).rows as T[];
}
