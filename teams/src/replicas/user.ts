import {
  ACCOUNT_DELETED,
  decideVersion,
  Listener,
  resultFor,
  type EventData,
  type HandleResult,
  type ListenerContext,
  type VersionDecision,
} from '@taskforge/common';
import type { Pool } from 'pg';
import type { Db } from '../db/queryable';

/*
 * The user directory: teams' copy of every account, from `user.*`, in which members are looked up
 * by email or id, and which holds the session version `currentUser` checks. user.deleted does more
 * than copy (the user leaves their teams): its listener is in events/listeners/.
 */

export interface DirectoryUser {
  id: string;
  email: string;
  firstName: string | null;
  lastName: string | null;
  version: number;
}

const USER_COLUMNS = 'id, email, first_name AS "firstName", last_name AS "lastName", version';

/**
 * Lookups never find a deleted user (a tombstone): not by their former email, not by id. With
 * `forShare` the row stays locked until the transaction ends, so a user.deleted arriving
 * meanwhile waits for it (see `tombstoneUser`).
 */
interface LookupOptions {
  forShare?: boolean;
}

/** A user found by address, and whether they have proven the address is theirs. */
export interface UserByEmail extends DirectoryUser {
  emailVerified: boolean;
}

export async function findUserByEmail(
  db: Db,
  email: string,
  options: LookupOptions = {},
): Promise<UserByEmail | undefined> {
  const { rows } = await db.query<UserByEmail>(
    `SELECT ${USER_COLUMNS}, email_verified AS "emailVerified" FROM users
      WHERE lower(email) = lower($1) AND deleted_at IS NULL
     ${options.forShare ? 'FOR SHARE' : ''}`,
    [email],
  );
  return rows[0];
}

export async function findUserById(
  db: Db,
  id: string,
  options: LookupOptions = {},
): Promise<DirectoryUser | undefined> {
  const { rows } = await db.query<DirectoryUser>(
    `SELECT ${USER_COLUMNS} FROM users WHERE id = $1 AND deleted_at IS NULL
     ${options.forShare ? 'FOR SHARE' : ''}`,
    [id],
  );
  return rows[0];
}

/** The version the directory holds of a user, tombstone or not (undefined: never replicated). */
async function directoryEntryOf(
  db: Db,
  id: string,
): Promise<{ version: number; deleted: boolean } | undefined> {
  const { rows } = await db.query<{ version: number; deleted: boolean }>(
    'SELECT version, deleted_at IS NOT NULL AS deleted FROM users WHERE id = $1',
    [id],
  );
  return rows[0];
}

/**
 * Whether the account is deleted, locking the user's row (when there is one) until the
 * transaction ends. A write that gives the user a membership takes it first, so it either
 * commits before a user.deleted tombstones them (whose listener then sees the membership and
 * ends it) or sees the tombstone and refuses.
 */
export async function lockAccount(db: Db, id: string): Promise<{ deleted: boolean }> {
  const { rows } = await db.query<{ deleted: boolean }>(
    'SELECT deleted_at IS NOT NULL AS deleted FROM users WHERE id = $1 FOR SHARE',
    [id],
  );
  return { deleted: rows[0]?.deleted ?? false };
}

/**
 * Applies a user.created / user.updated event to the directory when it is exactly the next
 * version: version 0 inserts (a second copy conflicts and does nothing), version n updates only
 * the row at n - 1. Otherwise the stored version tells a duplicate from an event that came early.
 * An event without emailVerified is from before verification existed: that account counts as
 * verified.
 */
export async function applyUserEvent(
  db: Db,
  user: EventData<'user.created'> | EventData<'user.updated'>,
): Promise<VersionDecision> {
  const values = [
    user.id,
    user.email,
    user.firstName ?? null,
    user.lastName ?? null,
    user.avatarUrl ?? null,
    user.version,
    user.sessionVersion ?? 0,
    user.emailVerified ?? true,
  ];
  if (user.version === 0) {
    const inserted = await db.query(
      `INSERT INTO users (id, email, first_name, last_name, avatar_url, version, session_version,
                          email_verified)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (id) DO NOTHING`,
      values,
    );
    return inserted.rowCount === 1 ? 'apply' : 'duplicate';
  }
  const updated = await db.query(
    `UPDATE users
        SET email = $2, first_name = $3, last_name = $4, avatar_url = $5, version = $6,
            session_version = $7, email_verified = $8, replicated_at = now()
      WHERE id = $1 AND version = $6 - 1 AND deleted_at IS NULL`,
    values,
  );
  if (updated.rowCount === 1) return 'apply';
  return decisionAfterMiss(db, user.id, user.version);
}

/**
 * What an event that changed no row is: a tombstone takes nothing more (its user.deleted was the
 * user's last version), otherwise the stored version decides.
 */
async function decisionAfterMiss(db: Db, id: string, version: number): Promise<VersionDecision> {
  const current = await directoryEntryOf(db, id);
  if (current?.deleted) return 'duplicate';
  const decision = decideVersion(current?.version ?? null, version);
  // The row moved between the update and this read: let the redelivery decide again.
  return decision === 'apply' ? 'future' : decision;
}

/**
 * Applies user.deleted by the same version rule: the row at the version before it becomes a
 * tombstone (every personal field cleared, deleted_at set). A tombstone already there is a
 * duplicate, which the listener still finishes its work for. The update waits for any
 * transaction holding the row `FOR SHARE` (adding the user to a team), so what the listener
 * reads after it commits includes that membership.
 */
export async function tombstoneUser(
  db: Db,
  user: EventData<'user.deleted'>,
): Promise<VersionDecision> {
  const updated = await db.query(
    `UPDATE users
        SET email = NULL, first_name = NULL, last_name = NULL, avatar_url = NULL,
            deleted_at = now(), version = $2, replicated_at = now()
      WHERE id = $1 AND version = $2 - 1 AND deleted_at IS NULL`,
    [user.id, user.version],
  );
  if (updated.rowCount === 1) return 'apply';
  return decisionAfterMiss(db, user.id, user.version);
}

/**
 * The session version the directory holds for a user (undefined: not replicated yet;
 * ACCOUNT_DELETED for a tombstone, which no token passes).
 */
export async function sessionVersionOf(db: Db, id: string): Promise<number | undefined> {
  const { rows } = await db.query<{ sessionVersion: number; deleted: boolean }>(
    `SELECT session_version AS "sessionVersion", deleted_at IS NOT NULL AS deleted
       FROM users WHERE id = $1`,
    [id],
  );
  const row = rows[0];
  if (!row) return undefined;
  return row.deleted ? ACCOUNT_DELETED : row.sessionVersion;
}

type CopiedSubject = 'user.created' | 'user.updated';

/**
 * user.created adds a user to the directory, user.updated keeps their email and names current:
 * both by `applyUserEvent`, one version at a time.
 */
class UserReplicaListener<S extends CopiedSubject> extends Listener<S> {
  constructor(
    readonly subject: S,
    private readonly pool: Pool,
  ) {
    super();
  }

  async onMessage(data: EventData<S>, { logger }: ListenerContext<S>): Promise<HandleResult> {
    const decision = await applyUserEvent(this.pool, data);
    logger.debug({ userId: data.id, version: data.version, decision }, this.subject);
    return resultFor(decision);
  }
}

export function userReplicaListeners(pool: Pool): Listener[] {
  return [
    new UserReplicaListener('user.created', pool),
    new UserReplicaListener('user.updated', pool),
  ];
}
