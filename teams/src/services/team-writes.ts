import { randomUUID } from 'node:crypto';
import {
  BadRequestError,
  NotAuthorizedError,
  writeInTransaction,
  type EventMetadata,
  type TransactionWrite,
} from '@taskforge/common';
import type { Pool, PoolClient } from 'pg';
import type { TeamInput, TeamUpdate } from '../contracts/teams';
import { upsertMembership } from '../models/memberships';
import {
  DEFAULT_ROLE_PERMISSIONS,
  deleteTeamRow,
  insertTeam,
  replaceRolePermissions,
  samePermissions,
  updateTeamRow,
  type RolePermissions,
  type Team,
} from '../models/teams';
import { lockAccount } from '../replicas/user';
import { memberEventData, teamEventData } from '../events/event-data';
import { requireAdmin, requirePermission, writeAccess, type TeamAccess } from './team-access';

/** Admins must always be able to manage members, or a team could lock itself out. */
export const ADMIN_KEEPS = 'member.manage';
/** Only admins may delete a team, so no other role can be granted it. */
export const ADMIN_ONLY = 'team.delete';

/** What a write needs: the pool, and the relay to tell once its events are committed. */
export interface WriteDeps {
  pool: Pool;
  eventsRecorded: () => void;
}

/**
 * Every write of this service: `work` and its events (into the outbox) in one transaction, and
 * the relay told once they are committed.
 */
export function writeWithEvents<T>(
  deps: WriteDeps,
  metadata: EventMetadata,
  work: (client: PoolClient) => Promise<TransactionWrite<T>>,
): Promise<T> {
  return writeInTransaction(deps.pool, work, { metadata, eventsRecorded: deps.eventsRecorded });
}

/** A write someone makes in a team: `work` gets their access, read with the team row locked. */
export function writeToTeam<T>(
  deps: WriteDeps,
  teamId: string,
  actorId: string,
  metadata: EventMetadata,
  work: (client: PoolClient, access: TeamAccess) => Promise<TransactionWrite<T>>,
): Promise<T> {
  return writeWithEvents(deps, metadata, async (client) =>
    work(client, await writeAccess(client, teamId, actorId)),
  );
}

/**
 * Creates the team inside the caller's transaction: the team, its default role permissions,
 * the creator as its admin; team.created and member.added say so.
 */
export async function insertNewTeam(
  client: PoolClient,
  input: TeamInput,
  creatorId: string,
): Promise<TransactionWrite<TeamAccess>> {
  const team = await insertTeam(client, {
    id: randomUUID(),
    name: input.name,
    description: input.description ?? null,
    createdBy: creatorId,
  });
  await replaceRolePermissions(client, team.id, DEFAULT_ROLE_PERMISSIONS);
  const membership = await upsertMembership(client, team.id, creatorId, 'admin');
  return {
    result: { team, membership, permissions: DEFAULT_ROLE_PERMISSIONS },
    events: [
      { subject: 'team.created', data: teamEventData(team, DEFAULT_ROLE_PERMISSIONS) },
      { subject: 'member.added', data: memberEventData(membership) },
    ],
  };
}

/**
 * A deleted account's session can outlive the deletion by the second the session versions are
 * cached: the account is checked (and its directory row locked) here, so a team it creates is
 * either refused or committed before user.deleted is applied, whose listener then ends it.
 */
export function createTeam(
  deps: WriteDeps,
  input: TeamInput,
  creatorId: string,
  metadata: EventMetadata,
): Promise<TeamAccess> {
  return writeWithEvents(deps, metadata, async (client) => {
    if ((await lockAccount(client, creatorId)).deleted) throw new NotAuthorizedError();
    return insertNewTeam(client, input, creatorId);
  });
}

/** Renames or re-describes the team (needs team.update); a change to nothing writes nothing. */
export function updateTeam(
  deps: WriteDeps,
  teamId: string,
  actorId: string,
  input: TeamUpdate,
  metadata: EventMetadata,
): Promise<TeamAccess> {
  return writeToTeam(deps, teamId, actorId, metadata, async (client, access) => {
    requirePermission(access, 'team.update');
    const { team } = access;
    const changes: Partial<Pick<Team, 'name' | 'description'>> = {};
    const previous: Partial<Pick<Team, 'name' | 'description'>> = {};
    if (input.name !== undefined && input.name !== team.name) {
      changes.name = input.name;
      previous.name = team.name;
    }
    if (input.description !== undefined && input.description !== team.description) {
      changes.description = input.description;
      previous.description = team.description;
    }
    if (Object.keys(changes).length === 0) return { result: access, events: [] };

    const updated = await updateTeamRow(client, teamId, changes);
    return {
      result: { ...access, team: updated },
      events: [
        { subject: 'team.updated', data: teamEventData(updated, access.permissions, previous) },
      ],
    };
  });
}

/** Checks a permission table an admin wants to set; the route has checked names and roles. */
export function checkRolePermissions(permissions: RolePermissions): void {
  if (!permissions.admin.includes(ADMIN_KEEPS)) {
    throw new BadRequestError(`Admins always keep ${ADMIN_KEEPS}`, 'permissions.admin');
  }
  for (const role of ['member', 'guest'] as const) {
    if (permissions[role].includes(ADMIN_ONLY)) {
      throw new BadRequestError(
        `${ADMIN_ONLY} can only be granted to admins`,
        `permissions.${role}`,
      );
    }
  }
}

/** Replaces what each role may do (admins only); publishes team.updated with the new table. */
export function setRolePermissions(
  deps: WriteDeps,
  teamId: string,
  actorId: string,
  permissions: RolePermissions,
  metadata: EventMetadata,
): Promise<TeamAccess> {
  checkRolePermissions(permissions);
  return writeToTeam(deps, teamId, actorId, metadata, async (client, access) => {
    requireAdmin(access, 'Only admins can change permissions');
    if (samePermissions(access.permissions, permissions)) return { result: access, events: [] };

    await replaceRolePermissions(client, teamId, permissions);
    const updated = await updateTeamRow(client, teamId, {});
    const previous = { permissions: access.permissions };
    return {
      result: { ...access, team: updated, permissions },
      events: [{ subject: 'team.updated', data: teamEventData(updated, permissions, previous) }],
    };
  });
}

/**
 * Deletes the team with its memberships (admins holding team.delete). One team.deleted event at
 * the next version says it all: consumers drop every membership of the team with it.
 */
export function deleteTeam(
  deps: WriteDeps,
  teamId: string,
  actorId: string,
  metadata: EventMetadata,
): Promise<void> {
  return writeToTeam(deps, teamId, actorId, metadata, async (client, access) => {
    requireAdmin(access, 'Only admins can delete the team');
    requirePermission(access, 'team.delete');
    return removeTeam(client, access.team);
  });
}

/**
 * Deletes a team whose row the transaction has locked (the caller has checked the actor may):
 * its memberships and permissions go with it, and team.deleted at the next version says so.
 */
export async function removeTeam(
  client: PoolClient,
  team: Team,
): Promise<TransactionWrite<undefined>> {
  await deleteTeamRow(client, team.id);
  const data = {
    id: team.id,
    version: team.version + 1,
    name: team.name,
    description: team.description,
    createdBy: team.createdBy,
  };
  return { result: undefined, events: [{ subject: 'team.deleted', data }] };
}
