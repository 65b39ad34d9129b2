import type { Role, TimeCursor } from '@taskforge/common';
import type { PoolClient } from 'pg';
import type { Team } from './teams';
import type { Db } from '../db/queryable';

export interface Membership {
  teamId: string;
  userId: string;
  role: Role;
  joinedAt: Date;
  updatedAt: Date;
  removedAt: Date | null;
  version: number;
}

/** A member as the API lists them: the membership and what the directory knows of the user. */
export interface MemberView extends Membership {
  email: string | null;
  firstName: string | null;
  lastName: string | null;
}

/** Where a page ended: (time, id). */
export type PageCursor = TimeCursor;

const MEMBERSHIP_COLUMNS = `team_id AS "teamId", user_id AS "userId", role, joined_at AS "joinedAt",
  updated_at AS "updatedAt", removed_at AS "removedAt", version`;

/** The membership row of this user, current or removed. */
export async function findMembership(
  db: Db,
  teamId: string,
  userId: string,
): Promise<Membership | undefined> {
  const { rows } = await db.query<Membership>(
    `SELECT ${MEMBERSHIP_COLUMNS} FROM team_memberships WHERE team_id = $1 AND user_id = $2`,
    [teamId, userId],
  );
  return rows[0];
}

export async function findActiveMembership(
  db: Db,
  teamId: string,
  userId: string,
): Promise<Membership | undefined> {
  const membership = await findMembership(db, teamId, userId);
  return membership && !membership.removedAt ? membership : undefined;
}

/**
 * Makes the user a member: a new row at version 0, or the removed row brought back at its next
 * version, so the (team, user) version sequence never restarts.
 */
export async function upsertMembership(
  client: PoolClient,
  teamId: string,
  userId: string,
  role: Role,
): Promise<Membership> {
  const { rows } = await client.query<Membership>(
    `INSERT INTO team_memberships (team_id, user_id, role) VALUES ($1, $2, $3)
     ON CONFLICT (team_id, user_id) DO UPDATE
        SET role = EXCLUDED.role, removed_at = NULL, joined_at = now(), updated_at = now(),
            version = team_memberships.version + 1
      WHERE team_memberships.removed_at IS NOT NULL
     RETURNING ${MEMBERSHIP_COLUMNS}`,
    [teamId, userId, role],
  );
  if (!rows[0]) throw new Error('upsertMembership called for a current member');
  return rows[0];
}

/**
 * Changes a current membership (`changes` is SQL of this file, values from $3 on) at its next
 * version: every write of a membership bumps it, as its member.* events say.
 */
async function updateCurrentMembership(
  client: PoolClient,
  teamId: string,
  userId: string,
  changes: string,
  values: unknown[] = [],
): Promise<Membership> {
  const { rows } = await client.query<Membership>(
    `UPDATE team_memberships SET ${changes}, updated_at = now(), version = version + 1
      WHERE team_id = $1 AND user_id = $2 AND removed_at IS NULL
      RETURNING ${MEMBERSHIP_COLUMNS}`,
    [teamId, userId, ...values],
  );
  return rows[0]!;
}

export function setMembershipRole(
  client: PoolClient,
  teamId: string,
  userId: string,
  role: Role,
): Promise<Membership> {
  return updateCurrentMembership(client, teamId, userId, 'role = $3', [role]);
}

export function markMembershipRemoved(
  client: PoolClient,
  teamId: string,
  userId: string,
): Promise<Membership> {
  return updateCurrentMembership(client, teamId, userId, 'removed_at = now()');
}

/**
 * The current member of the team who joined first (their current membership), apart from
 * `exceptUserId`: who takes over as admin when a deleted account was the last one.
 */
export async function findLongestStandingMember(
  db: Db,
  teamId: string,
  exceptUserId: string,
): Promise<Membership | undefined> {
  const { rows } = await db.query<Membership>(
    `SELECT ${MEMBERSHIP_COLUMNS} FROM team_memberships
      WHERE team_id = $1 AND user_id <> $2 AND removed_at IS NULL
      ORDER BY joined_at, user_id
      LIMIT 1`,
    [teamId, exceptUserId],
  );
  return rows[0];
}

/** The teams a user is currently a member of. */
export async function findTeamIdsOf(db: Db, userId: string): Promise<string[]> {
  const { rows } = await db.query<{ teamId: string }>(
    `SELECT team_id AS "teamId" FROM team_memberships
      WHERE user_id = $1 AND removed_at IS NULL
      ORDER BY team_id`,
    [userId],
  );
  return rows.map((row) => row.teamId);
}

export async function countAdmins(db: Db, teamId: string): Promise<number> {
  const { rows } = await db.query<{ admins: number }>(
    `SELECT count(*)::int AS admins FROM team_memberships
      WHERE team_id = $1 AND role = 'admin' AND removed_at IS NULL`,
    [teamId],
  );
  return rows[0]?.admins ?? 0;
}

/** One page of a team's current members, in the order they joined. */
export async function listMembers(
  db: Db,
  teamId: string,
  page: { limit: number; after?: PageCursor | undefined },
): Promise<MemberView[]> {
  const { rows } = await db.query<MemberView>(
    `SELECT m.team_id AS "teamId", m.user_id AS "userId", m.role, m.joined_at AS "joinedAt",
            m.updated_at AS "updatedAt", m.removed_at AS "removedAt", m.version,
            u.email, u.first_name AS "firstName", u.last_name AS "lastName"
       FROM team_memberships m
       LEFT JOIN users u ON u.id = m.user_id AND u.deleted_at IS NULL
      WHERE m.team_id = $1 AND m.removed_at IS NULL
        AND ($2::timestamptz IS NULL OR (m.joined_at, m.user_id) > ($2, $3))
      ORDER BY m.joined_at, m.user_id
      LIMIT $4`,
    [teamId, page.after?.at ?? null, page.after?.id ?? null, page.limit],
  );
  return rows;
}

export type TeamOfMember = Team & { role: Role; joinedAt: Date };

/** One page of the teams a user currently belongs to, most recently joined first. */
export async function listTeamsOf(
  db: Db,
  userId: string,
  page: { limit: number; after?: PageCursor | undefined },
): Promise<TeamOfMember[]> {
  const { rows } = await db.query<TeamOfMember>(
    `SELECT t.id, t.name, t.description, t.created_by AS "createdBy", t.created_at AS "createdAt",
            t.updated_at AS "updatedAt", t.version, m.role, m.joined_at AS "joinedAt"
       FROM team_memberships m
       JOIN teams t ON t.id = m.team_id
      WHERE m.user_id = $1 AND m.removed_at IS NULL
        AND ($2::timestamptz IS NULL OR (m.joined_at, m.team_id) < ($2, $3::uuid))
      ORDER BY m.joined_at DESC, m.team_id DESC
      LIMIT $4`,
    [userId, page.after?.at ?? null, page.after?.id ?? null, page.limit],
  );
  return rows;
}
