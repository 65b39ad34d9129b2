import { decideVersion, type EventData, type VersionDecision } from '@taskforge/common';
import type { Db } from './transaction';

export interface DirectoryUser {
  id: string;
  email: string;
  firstName: string | null;
  lastName: string | null;
  version: number;
}

const USER_COLUMNS = 'id, email, first_name AS "firstName", last_name AS "lastName", version';

export async function findUserByEmail(db: Db, email: string): Promise<DirectoryUser | undefined> {
  const { rows } = await db.query<DirectoryUser>(
    `SELECT ${USER_COLUMNS} FROM users WHERE lower(email) = lower($1)`,
    [email],
  );
  return rows[0];
}

export async function findUserById(db: Db, id: string): Promise<DirectoryUser | undefined> {
  const { rows } = await db.query<DirectoryUser>(
    `SELECT ${USER_COLUMNS} FROM users WHERE id = $1`,
    [id],
  );
  return rows[0];
}

/**
 * Applies a user.created / user.updated event to the directory when it is exactly the next
 * version: version 0 inserts (a second copy conflicts and does nothing), version n updates only
 * the row at n - 1. Otherwise the stored version tells a duplicate from an event that came early.
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
  ];
  if (user.version === 0) {
    const inserted = await db.query(
      `INSERT INTO users (id, email, first_name, last_name, avatar_url, version, session_version)
       VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (id) DO NOTHING`,
      values,
    );
    return inserted.rowCount === 1 ? 'apply' : 'duplicate';
  }
  const updated = await db.query(
    `UPDATE users
        SET email = $2, first_name = $3, last_name = $4, avatar_url = $5, version = $6,
            session_version = $7, replicated_at = now()
      WHERE id = $1 AND version = $6 - 1`,
    values,
  );
  if (updated.rowCount === 1) return 'apply';
  const current = await findUserById(db, user.id);
  const decision = decideVersion(current?.version ?? null, user.version);
  // The row moved between the update and this read: let the redelivery decide again.
  return decision === 'apply' ? 'future' : decision;
}

/** The session version the directory holds for a user (undefined: not replicated yet). */
export async function sessionVersionOf(db: Db, id: string): Promise<number | undefined> {
  const { rows } = await db.query<{ sessionVersion: number }>(
    'SELECT session_version AS "sessionVersion" FROM users WHERE id = $1',
    [id],
  );
  return rows[0]?.sessionVersion;
}
