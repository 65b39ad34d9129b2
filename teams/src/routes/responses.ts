import type { AuditEntry } from '../db/audit-logs';
import type { Membership, MemberView, TeamOfMember } from '../db/memberships';
import type { Team } from '../db/teams';
import type { TeamAccess } from '../services/team-access';

function teamFields(team: Team) {
  return {
    id: team.id,
    name: team.name,
    description: team.description,
    createdBy: team.createdBy,
    createdAt: team.createdAt.toISOString(),
    updatedAt: team.updatedAt.toISOString(),
    version: team.version,
  };
}

/** A team as one of its members sees it: with their role and every role's permissions. */
export function toTeamResponse(access: TeamAccess) {
  return {
    ...teamFields(access.team),
    role: access.membership.role,
    permissions: access.permissions,
  };
}

export function toTeamListItem(team: TeamOfMember) {
  return { ...teamFields(team), role: team.role, joinedAt: team.joinedAt.toISOString() };
}

/** A member with what the directory knows of them (nothing yet, when their user event lags). */
export function toMemberResponse(
  membership: Membership,
  user: Pick<MemberView, 'email' | 'firstName' | 'lastName'> | undefined,
) {
  return {
    userId: membership.userId,
    role: membership.role,
    joinedAt: membership.joinedAt.toISOString(),
    version: membership.version,
    email: user?.email ?? null,
    firstName: user?.firstName ?? null,
    lastName: user?.lastName ?? null,
  };
}

export function toPermissionsResponse(access: TeamAccess) {
  return { teamId: access.team.id, version: access.team.version, permissions: access.permissions };
}

export function toAuditEntryResponse(entry: AuditEntry) {
  return {
    id: entry.id,
    eventId: entry.eventId,
    subject: entry.subject,
    entityType: entry.entityType,
    entityId: entry.entityId,
    action: entry.action,
    teamId: entry.teamId,
    actorId: entry.actorId,
    occurredAt: entry.occurredAt.toISOString(),
    previousState: entry.previousState,
    newState: entry.newState,
    ipAddress: entry.ipAddress,
    userAgent: entry.userAgent,
    requestId: entry.requestId,
  };
}
