import { ForbiddenError, NotFoundError, type Permission } from '@taskforge/common';
import type { PoolClient } from 'pg';
import { findActiveMembership, type Membership } from '../models/memberships';
import {
  findTeam,
  loadRolePermissions,
  lockTeam,
  type RolePermissions,
  type Team,
} from '../models/teams';
import type { Db } from '../db/queryable';

export const TEAM_NOT_FOUND = 'Team not found';

/** A team as one of its members sees it: their membership and what each role may do. */
export interface TeamAccess {
  team: Team;
  membership: Membership;
  permissions: RolePermissions;
}

async function accessFor(db: Db, team: Team | undefined, userId: string): Promise<TeamAccess> {
  // A non-member learns nothing, not even that the team exists.
  const membership = team && (await findActiveMembership(db, team.id, userId));
  if (!team || !membership) throw new NotFoundError(TEAM_NOT_FOUND);
  return { team, membership, permissions: await loadRolePermissions(db, team.id) };
}

/** For reads: the team and the user's access to it, or 404. */
export async function readAccess(db: Db, teamId: string, userId: string): Promise<TeamAccess> {
  return accessFor(db, await findTeam(db, teamId), userId);
}

/**
 * For writes: locks the team row for the rest of the transaction, then checks access, so
 * what the checks saw (roles, permissions, the admin count) cannot change before the commit.
 */
export async function writeAccess(
  client: PoolClient,
  teamId: string,
  userId: string,
): Promise<TeamAccess> {
  return accessFor(client, await lockTeam(client, teamId), userId);
}

export function can(access: TeamAccess, permission: Permission): boolean {
  return access.permissions[access.membership.role].includes(permission);
}

export function requirePermission(access: TeamAccess, permission: Permission): void {
  if (!can(access, permission)) {
    throw new ForbiddenError(`You need the ${permission} permission in this team`);
  }
}

export function requireAdmin(access: TeamAccess, message: string): void {
  if (access.membership.role !== 'admin') throw new ForbiddenError(message);
}
