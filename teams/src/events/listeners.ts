import { SUBJECTS, type ConsumerSpec, type Listener } from '@taskforge/common';
import type { Pool } from 'pg';
import { userReplicaListeners } from '../replicas/user';
import type { WriteDeps } from '../services/team-writes';
import { AuditLogListener } from './listeners/audit-log-listener';
import { UserDeletedListener } from './listeners/user-deleted-listener';

/** The service's own durable consumer: the user directory. */
export const DIRECTORY_DURABLE = 'teams';
/**
 * The audit log reads every subject on a durable of its own, so a backlog of audit inserts
 * never delays the directory (and a directory event waiting for its turn never blocks audit).
 */
export const AUDIT_DURABLE = 'teams-audit';

/** The user directory; a deleted account leaving its teams tells the relay of its events. */
export function teamsListeners(deps: WriteDeps): Listener[] {
  return [...userReplicaListeners(deps.pool), new UserDeletedListener(deps)];
}

/** The audit log: one listener for every subject of the catalogue. */
export function teamsAuditListeners(pool: Pool): AuditLogListener[] {
  return SUBJECTS.map((subject) => new AuditLogListener(subject, pool));
}

export function teamsConsumers(deps: WriteDeps): ConsumerSpec[] {
  return [
    { durable: DIRECTORY_DURABLE, listeners: teamsListeners(deps) },
    { durable: AUDIT_DURABLE, listeners: teamsAuditListeners(deps.pool) },
  ];
}
