import { ForbiddenError, NotFoundError, type Permission, type Role } from '@taskforge/common';
import { Membership, membershipId } from '../replicas/membership';
import { Team } from '../replicas/team';
import { findDeletedUsers } from '../replicas/user';

export interface TeamAccess {
  teamId: string;
  userId: string;
  role: Role;
  permissions: Permission[];
}

/**
 * The user's access to a team, from the replicas only (tasks never calls teams on a request).
 * Not a member, a removed member or a deleted team all answer 404 with `notFoundMessage`, so a
 * stranger cannot tell a task or team exists.
 */
export async function findTeamAccess(
  teamId: string,
  userId: string,
  notFoundMessage = 'Team not found',
): Promise<TeamAccess> {
  const [team, membership] = await Promise.all([
    Team.findById(teamId).lean(),
    Membership.findById(membershipId(teamId, userId)).lean(),
  ]);
  if (!team || team.deleted || !membership?.active) throw new NotFoundError(notFoundMessage);
  return {
    teamId,
    userId,
    role: membership.role,
    // Guests read only, whatever the team's settings say.
    permissions: membership.role === 'guest' ? [] : (team.permissions[membership.role] ?? []),
  };
}

/** 404 for strangers (see findTeamAccess), 403 for a member whose role lacks the permission. */
export async function assertPermission(
  teamId: string,
  userId: string,
  permission: Permission,
  notFoundMessage?: string,
): Promise<TeamAccess> {
  const access = await findTeamAccess(teamId, userId, notFoundMessage);
  requirePermission(access, permission);
  return access;
}

export function requirePermission(access: TeamAccess, permission: Permission): void {
  if (!access.permissions.includes(permission)) {
    throw new ForbiddenError(`Your role in this team does not allow ${permission}`);
  }
}

/**
 * Whether the user is a current member of the team (assignees and mentions must be); a deleted
 * account is not, even before teams' `member.removed` for it arrives.
 */
export async function isActiveMember(teamId: string, userId: string): Promise<boolean> {
  const [membership, deleted] = await Promise.all([
    Membership.findById(membershipId(teamId, userId), { active: 1 }).lean(),
    findDeletedUsers([userId]),
  ]);
  return membership?.active === true && !deleted.has(userId);
}
