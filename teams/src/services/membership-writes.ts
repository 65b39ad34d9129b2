import {
  BadRequestError,
  ConflictError,
  ForbiddenError,
  NotFoundError,
  type EventMetadata,
  type Role,
  type TransactionWrite,
} from '@taskforge/common';
import type { PoolClient } from 'pg';
import {
  countAdmins,
  findActiveMembership,
  markMembershipRemoved,
  setMembershipRole,
  upsertMembership,
  type Membership,
} from '../models/memberships';
import { findUserByEmail, findUserById, type DirectoryUser } from '../replicas/user';
import { memberEventData } from '../events/event-data';
import { FieldNotFoundError } from './errors';
import { requirePermission, type TeamAccess } from './team-access';
import { writeToTeam, type WriteDeps } from './team-writes';

export const MEMBER_NOT_FOUND = 'Member not found';
export const LAST_ADMIN = 'A team must keep at least one admin';
export const EMAIL_NOT_VERIFIED =
  'This person has not verified their email address yet; they can be added once they have';

/** Who to add: someone in the user directory, by email or by id. */
export type MemberTarget = { email: string } | { userId: string };

export interface MemberResult {
  membership: Membership;
  /** What the directory knows of the member; the creator of a team may not be there yet. */
  user: DirectoryUser | undefined;
}

/** Granting, revoking or touching the admin role is for admins, whatever else a role may do. */
function requireAdminForAdminRole(access: TeamAccess, ...roles: Role[]): void {
  if (roles.includes('admin') && access.membership.role !== 'admin') {
    throw new ForbiddenError('Only admins can grant, revoke or remove the admin role');
  }
}

async function findActiveTarget(client: PoolClient, teamId: string, userId: string) {
  const membership = await findActiveMembership(client, teamId, userId);
  if (!membership) throw new NotFoundError(MEMBER_NOT_FOUND);
  return membership;
}

/** The team keeps an admin after `membership` stops being one (the team row is locked). */
async function requireAnotherAdmin(client: PoolClient, membership: Membership): Promise<void> {
  if (membership.role === 'admin' && (await countAdmins(client, membership.teamId)) <= 1) {
    throw new ConflictError(LAST_ADMIN);
  }
}

/**
 * The user to add, locked until the commit: a user.deleted tombstoning them meanwhile waits, so
 * its listener sees (and ends) the new membership. A deleted user is no one. An address its
 * account has not verified names no one yet either: anybody can sign up with someone else's, and
 * would then be let into the teams meant for its owner. The refusal carries nothing of the
 * account (no id, no name) and comes before the membership check, so it reads the same whether
 * or not the account is already in the team.
 */
async function findDirectoryUser(client: PoolClient, target: MemberTarget) {
  if ('email' in target) {
    const user = await findUserByEmail(client, target.email, { forShare: true });
    if (!user) throw new FieldNotFoundError('No user with that email', 'email');
    if (!user.emailVerified) throw new BadRequestError(EMAIL_NOT_VERIFIED, 'email');
    return user;
  }
  const user = await findUserById(client, target.userId, { forShare: true });
  if (!user) throw new FieldNotFoundError('No user with that id', 'userId');
  return user;
}

/**
 * Gives a current member another role (the team row is locked, the caller has checked the actor
 * may): member.updated at the membership's next version. The last admin is not demoted.
 */
export async function setMemberRole(
  client: PoolClient,
  membership: Membership,
  role: Role,
): Promise<TransactionWrite<Membership>> {
  await requireAnotherAdmin(client, membership);
  const updated = await setMembershipRole(client, membership.teamId, membership.userId, role);
  return {
    result: updated,
    events: [{ subject: 'member.updated', data: memberEventData(updated, membership.role) }],
  };
}

/**
 * Ends a current membership (the team row is locked, the caller has checked the actor may): the
 * row stays, marked removed, and member.removed goes out at its next version. The last admin
 * stays.
 */
export async function endMembership(
  client: PoolClient,
  membership: Membership,
): Promise<TransactionWrite<Membership>> {
  await requireAnotherAdmin(client, membership);
  const removed = await markMembershipRemoved(client, membership.teamId, membership.userId);
  return {
    result: removed,
    events: [{ subject: 'member.removed', data: memberEventData(removed) }],
  };
}

/**
 * Adds someone from the directory (needs member.manage). Someone removed earlier comes back
 * on their membership's next version, so member.added follows their member.removed.
 */
export function addMember(
  deps: WriteDeps,
  teamId: string,
  actorId: string,
  target: MemberTarget,
  role: Role,
  metadata: EventMetadata,
): Promise<MemberResult> {
  return writeToTeam(deps, teamId, actorId, metadata, async (client, access) => {
    requirePermission(access, 'member.manage');
    requireAdminForAdminRole(access, role);
    const user = await findDirectoryUser(client, target);
    if (await findActiveMembership(client, teamId, user.id)) {
      throw new ConflictError('Already a member of this team');
    }

    const membership = await upsertMembership(client, teamId, user.id, role);
    return {
      result: { membership, user },
      events: [{ subject: 'member.added', data: memberEventData(membership) }],
    };
  });
}

/** Changes a member's role (needs member.manage); the last admin cannot be demoted. */
export function changeMemberRole(
  deps: WriteDeps,
  teamId: string,
  actorId: string,
  userId: string,
  role: Role,
  metadata: EventMetadata,
): Promise<MemberResult> {
  return writeToTeam(deps, teamId, actorId, metadata, async (client, access) => {
    requirePermission(access, 'member.manage');
    const membership = await findActiveTarget(client, teamId, userId);
    const user = await findUserById(client, userId);
    if (membership.role === role) return { result: { membership, user }, events: [] };
    requireAdminForAdminRole(access, membership.role, role);
    const { result: updated, events } = await setMemberRole(client, membership, role);
    return { result: { membership: updated, user }, events };
  });
}

/**
 * Removes a member (needs member.manage), or lets a member leave. The row stays, marked
 * removed, so the membership's version goes on if they come back. The last admin stays.
 */
export async function removeMember(
  deps: WriteDeps,
  teamId: string,
  actorId: string,
  userId: string,
  metadata: EventMetadata,
): Promise<void> {
  await writeToTeam(deps, teamId, actorId, metadata, async (client, access) => {
    const leaving = userId === actorId;
    if (!leaving) requirePermission(access, 'member.manage');
    const membership = leaving ? access.membership : await findActiveTarget(client, teamId, userId);
    if (!leaving) requireAdminForAdminRole(access, membership.role);
    return endMembership(client, membership);
  });
}
