import { PERMISSIONS, ROLES, type Permission, type Role } from '@taskforge/common';
import type { PoolClient } from 'pg';
import type { Db } from '../db/queryable';

export const NAME_MAX_LENGTH = 100;
export const DESCRIPTION_MAX_LENGTH = 2000;

export interface Team {
  id: string;
  name: string;
  description: string | null;
  createdBy: string;
  createdAt: Date;
  updatedAt: Date;
  version: number;
}

/** What each role of a team may do; every role is present, permissions in catalogue order. */
export type RolePermissions = Record<Role, Permission[]>;

export const DEFAULT_ROLE_PERMISSIONS: RolePermissions = {
  admin: [...PERMISSIONS],
  member: ['task.create', 'task.update', 'task.assign', 'comment.create'],
  guest: [],
};

const TEAM_COLUMNS = `id, name, description, created_by AS "createdBy", created_at AS "createdAt",
  updated_at AS "updatedAt", version`;

export async function insertTeam(
  client: PoolClient,
  team: Pick<Team, 'id' | 'name' | 'description' | 'createdBy'>,
): Promise<Team> {
  const { rows } = await client.query<Team>(
    `INSERT INTO teams (id, name, description, created_by) VALUES ($1, $2, $3, $4)
     RETURNING ${TEAM_COLUMNS}`,
    [team.id, team.name, team.description, team.createdBy],
  );
  return rows[0]!;
}

/**
 * Reads the team and locks its row until the transaction ends. Every write to a team, its
 * permissions or its memberships takes this lock first, so they run one after another: the
 * "at least one admin" check cannot be raced, and versions rise by one at a time.
 */
export async function lockTeam(client: PoolClient, id: string): Promise<Team | undefined> {
  const { rows } = await client.query<Team>(
    `SELECT ${TEAM_COLUMNS} FROM teams WHERE id = $1 FOR UPDATE`,
    [id],
  );
  return rows[0];
}

export async function findTeam(db: Db, id: string): Promise<Team | undefined> {
  const { rows } = await db.query<Team>(`SELECT ${TEAM_COLUMNS} FROM teams WHERE id = $1`, [id]);
  return rows[0];
}

/** Applies the changed fields (none: only the version moves) and bumps the version. */
export async function updateTeamRow(
  client: PoolClient,
  id: string,
  fields: Partial<Pick<Team, 'name' | 'description'>>,
): Promise<Team> {
  const { rows } = await client.query<Team>(
    `UPDATE teams
        SET name = COALESCE($2, name),
            description = CASE WHEN $3 THEN $4 ELSE description END,
            updated_at = now(),
            version = version + 1
      WHERE id = $1
      RETURNING ${TEAM_COLUMNS}`,
    [id, fields.name ?? null, 'description' in fields, fields.description ?? null],
  );
  return rows[0]!;
}

export async function deleteTeamRow(client: PoolClient, id: string): Promise<void> {
  // Memberships and role permissions go with it (ON DELETE CASCADE).
  await client.query('DELETE FROM teams WHERE id = $1', [id]);
}

export async function loadRolePermissions(db: Db, teamId: string): Promise<RolePermissions> {
  const { rows } = await db.query<{ role: Role; permission: Permission }>(
    'SELECT role, permission FROM role_permissions WHERE team_id = $1',
    [teamId],
  );
  const granted = new Set(rows.map((row) => `${row.role} ${row.permission}`));
  return Object.fromEntries(
    ROLES.map((role) => [role, PERMISSIONS.filter((p) => granted.has(`${role} ${p}`))]),
  ) as RolePermissions;
}

export async function replaceRolePermissions(
  client: PoolClient,
  teamId: string,
  permissions: RolePermissions,
): Promise<void> {
  await client.query('DELETE FROM role_permissions WHERE team_id = $1', [teamId]);
  const pairs = ROLES.flatMap((role) => permissions[role].map((permission) => [role, permission]));
  if (pairs.length === 0) return;
  await client.query(
    `INSERT INTO role_permissions (team_id, role, permission)
     SELECT $1, role, permission FROM unnest($2::text[], $3::text[]) AS granted (role, permission)`,
    [teamId, pairs.map(([role]) => role), pairs.map(([, permission]) => permission)],
  );
}

export function samePermissions(a: RolePermissions, b: RolePermissions): boolean {
  return ROLES.every(
    (role) =>
      a[role].length === b[role].length &&
      a[role].every((permission, i) => b[role][i] === permission),
  );
}
