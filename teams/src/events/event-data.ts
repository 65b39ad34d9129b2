import type { EventData } from '@taskforge/common';
import type { Membership } from '../models/memberships';
import type { RolePermissions, Team } from '../models/teams';

/**
 * team.created / team.updated: the whole team and every role's permissions, so a replica
 * (tasks authorizes locally) needs nothing else. `previous` holds the old values of what an
 * update changed, for the audit log.
 */
export function teamEventData(
  team: Team,
  permissions: RolePermissions,
  previous?: Partial<Pick<Team, 'name' | 'description'>> & { permissions?: RolePermissions },
): EventData<'team.updated'> {
  return {
    id: team.id,
    version: team.version,
    name: team.name,
    description: team.description,
    createdBy: team.createdBy,
    permissions,
    ...(previous ? { previous } : {}),
  };
}

/** member.*: the membership at the version this write produced. */
export function memberEventData(
  membership: Membership,
  previousRole?: Membership['role'],
): EventData<'member.updated'> {
  return {
    teamId: membership.teamId,
    userId: membership.userId,
    role: membership.role,
    version: membership.version,
    ...(previousRole ? { previousRole, previous: { role: previousRole } } : {}),
  };
}
