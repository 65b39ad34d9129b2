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
  return writeInTransaction(
    deps.pool,
    async (client) => {
      if ((await lockAccount(client, creatorId)).deleted) throw new NotAuthorizedError();
      return insertNewTeam(client, input, creatorId);
    },
    { metadata, eventsRecorded: deps.eventsRecorded },
  );
}

/** Renames or re-describes the team (needs team.update); a change to nothing writes nothing. */
export function updateTeam(
  deps: WriteDeps,
  teamId: string,
  actorId: string,
  input: TeamUpdate,
  metadata: EventMetadata,
): Promise<TeamAccess> {
  return writeInTransaction(
    deps.pool,
    async (client) => {
      const access = await writeAccess(client, teamId, actorId);
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
    },
    { metadata, eventsRecorded: deps.eventsRecorded },
  );
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
  return writeInTransaction(
    deps.pool,
    async (client) => {
      const access = await writeAccess(client, teamId, actorId);
      requireAdmin(access, 'Only admins can change permissions');
      if (samePermissions(access.permissions, permissions)) return { result: access, events: [] };

      await replaceRolePermissions(client, teamId, permissions);
      const updated = await updateTeamRow(client, teamId, {});
      const previous = { permissions: access.permissions };
      return {
        result: { ...access, team: updated, permissions },
        events: [{ subject: 'team.updated', data: teamEventData(updated, permissions, previous) }],
      };
    },
    { metadata, eventsRecorded: deps.eventsRecorded },
  );
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
  return writeInTransaction(
    deps.pool,
    async (client) => {
      const access = await writeAccess(client, teamId, actorId);
      requireAdmin(access, 'Only admins can delete the team');
      requirePermission(access, 'team.delete');
      return removeTeam(client, access.team);
    },
    { metadata, eventsRecorded: deps.eventsRecorded },
  );
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
