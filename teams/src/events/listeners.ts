import type { ConsumerSpec } from '@taskforge/common';
import type { WriteDeps } from '../services/team-writes';
import { auditListeners } from './listeners/audit-log-listener';
import { UserCreatedListener } from './listeners/user-created-listener';
import { UserDeletedListener } from './listeners/user-deleted-listener';
import { UserUpdatedListener } from './listeners/user-updated-listener';

/** The service's own durable consumer: the user directory. */
export const DIRECTORY_DURABLE = 'teams';
/**
 * The audit log reads every subject on a durable of its own, so a backlog of audit inserts
 * never delays the directory (and a directory event waiting for its turn never blocks audit).
 */
export const AUDIT_DURABLE = 'teams-audit';

/** The user directory; a deleted account leaving its teams tells the relay of its events. */
export function directoryListeners(deps: WriteDeps) {
  return [
    new UserCreatedListener(deps.pool),
    new UserUpdatedListener(deps.pool),
    new UserDeletedListener(deps),
  ];
}

export function teamsConsumers(deps: WriteDeps): ConsumerSpec[] {
  return [
    { durable: DIRECTORY_DURABLE, listeners: directoryListeners(deps) },
    { durable: AUDIT_DURABLE, listeners: auditListeners(deps.pool) },
  ];
}
