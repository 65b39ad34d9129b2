import type { ConsumerSpec } from '@taskforge/common';
import type { Pool } from 'pg';
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

export function directoryListeners(pool: Pool) {
  return [
    new UserCreatedListener(pool),
    new UserUpdatedListener(pool),
    new UserDeletedListener(pool),
  ];
}

export function teamsConsumers(pool: Pool): ConsumerSpec[] {
  return [
    { durable: DIRECTORY_DURABLE, listeners: directoryListeners(pool) },
    { durable: AUDIT_DURABLE, listeners: auditListeners(pool) },
  ];
}
