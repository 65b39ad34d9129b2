import { withTransaction } from '@taskforge/common';
import type { Pool, PoolClient } from 'pg';
import type { PageCursor } from './memberships';
import type { Db } from '../db/queryable';

/** One recorded event, as the audit API shows it. */
export interface AuditEntry {
  id: string;
  eventId: string;
  subject: string;
  entityType: string;
  entityId: string;
  action: string;
  teamId: string | null;
  actorId: string | null;
  occurredAt: Date;
  previousState: unknown;
  newState: unknown;
  ipAddress: string | null;
  userAgent: string | null;
  requestId: string | null;
}

export type NewAuditEntry = Omit<AuditEntry, 'id'>;

export interface AuditFilters {
  entityType?: string | undefined;
  entityId?: string | undefined;
  actorId?: string | undefined;
  action?: string | undefined;
  from?: Date | undefined;
  to?: Date | undefined;
}

/** Records an event once: a second insert of the same event id does nothing. */
export async function insertAuditEntry(db: Db, entry: NewAuditEntry): Promise<boolean> {
  const result = await db.query(
    `INSERT INTO audit_logs (event_id, subject, entity_type, entity_id, action, team_id, actor_id,
                             occurred_at, previous_state, new_state, ip_address, user_agent,
                             request_id)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
     ON CONFLICT (event_id) DO NOTHING`,
    [
      entry.eventId,
      entry.subject,
      entry.entityType,
      entry.entityId,
      entry.action,
      entry.teamId,
      entry.actorId,
      entry.occurredAt,
      jsonOrNull(entry.previousState),
      jsonOrNull(entry.newState),
      entry.ipAddress,
      entry.userAgent,
      entry.requestId,
    ],
  );
  return result.rowCount === 1;
}

/**
 * Entries about a user's account, by entity type: how an entry names the account's user, and
 * what of its states the log keeps once that user is deleted. Everything else in them is
 * personal data (email, names, avatar, preferences, and whatever user events carry later; the
 * address a reset or verification link was mailed to). A request for a link is known by the
 * `userId` it carries; each such type has a partial index on it (migrations 0006 and 0007).
 */
const ACCOUNT_ENTRIES = {
  user: { ownerColumn: 'entity_id', kept: ['id', 'version'] },
  'password-reset': {
    ownerColumn: "new_state ->> 'userId'",
    kept: ['id', 'version', 'userId', 'expiresAt'],
  },
  'email-verification': {
    ownerColumn: "new_state ->> 'userId'",
    kept: ['id', 'version', 'userId', 'expiresAt'],
  },
} as const satisfies Record<string, { ownerColumn: string; kept: readonly string[] }>;

type AccountEntity = keyof typeof ACCOUNT_ENTRIES;

function isAccountEntity(entityType: string): entityType is AccountEntity {
  return Object.prototype.hasOwnProperty.call(ACCOUNT_ENTRIES, entityType);
}

/** The user whose account an entry is about (a user event, a link they asked for), if any. */
function accountOwnerOf(entry: NewAuditEntry): string | undefined {
  if (!isAccountEntity(entry.entityType)) return undefined;
  if (entry.entityType === 'user') return entry.entityId;
  const userId = (entry.newState as { userId?: unknown } | null)?.userId;
  return typeof userId === 'string' ? userId : undefined;
}

function keptFields(state: unknown, kept: readonly string[]): unknown {
  if (state === null || typeof state !== 'object') return state;
  return Object.fromEntries(Object.entries(state).filter(([field]) => kept.includes(field)));
}

/**
 * The entry as the log keeps it when users it names are deleted: an entry about a deleted
 * account keeps only what ACCOUNT_ENTRIES says, and neither it nor what a deleted user did keeps
 * the request's IP address and user agent. Ids, subject and time stay.
 */
function withoutDataOf(entry: NewAuditEntry, deleted: ReadonlySet<string>): NewAuditEntry {
  const owner = accountOwnerOf(entry);
  const aboutDeleted =
    owner !== undefined && deleted.has(owner) && isAccountEntity(entry.entityType);
  const byDeleted = entry.actorId !== null && deleted.has(entry.actorId);
  if (!aboutDeleted && !byDeleted) return entry;
  const kept = aboutDeleted ? ACCOUNT_ENTRIES[entry.entityType as AccountEntity].kept : undefined;
  return {
    ...entry,
    ...(kept
      ? {
          previousState: keptFields(entry.previousState, kept),
          newState: keptFields(entry.newState, kept),
        }
      : {}),
    ipAddress: null,
    userAgent: null,
  };
}

/**
 * Rewrites the entries already recorded that hold a deleted user's data, as `withoutDataOf`
 * would have stored them. The append-only trigger lets this transaction change only the states,
 * IP address and user agent.
 */
async function scrubEntriesOf(client: PoolClient, userId: string): Promise<void> {
  await client.query(`SELECT set_config('audit_logs.forget_user', 'on', true)`);
  const kept = (column: string) =>
    `CASE WHEN ${column} IS NULL THEN NULL ELSE coalesce(
       (SELECT jsonb_object_agg(key, value) FROM jsonb_each(${column}) WHERE key = ANY($2)),
       '{}'::jsonb) END`;
  for (const [entityType, { ownerColumn, kept: fields }] of Object.entries(ACCOUNT_ENTRIES)) {
    // The entity type is written out (it is one of the keys above), so the partial index applies.
    await client.query(
      `UPDATE audit_logs
          SET previous_state = ${kept('previous_state')}, new_state = ${kept('new_state')},
              ip_address = NULL, user_agent = NULL
        WHERE entity_type = '${entityType}' AND ${ownerColumn} = $1`,
      [userId, fields],
    );
  }
  await client.query(
    `UPDATE audit_logs SET ip_address = NULL, user_agent = NULL
      WHERE actor_id = $1 AND (ip_address IS NOT NULL OR user_agent IS NOT NULL)`,
    [userId],
  );
}

/**
 * Locks the users an entry names for the transaction: shared to record an entry, exclusive (the
 * user being forgotten) to mark them deleted and scrub. So an entry either commits before the
 * scrub, which then rewrites it, or sees the mark and is stored without the data. Taken in the
 * order of the ids, so two forgettings do not wait for each other in a circle.
 */
async function lockUsers(
  client: PoolClient,
  userIds: string[],
  forgotten: string | undefined,
): Promise<void> {
  for (const userId of [...userIds].sort()) {
    const lock = userId === forgotten ? 'pg_advisory_xact_lock' : 'pg_advisory_xact_lock_shared';
    await client.query(`SELECT ${lock}(hashtext('audit_deleted_users'), hashtext($1))`, [userId]);
  }
}

/**
 * Records an event in the audit log, keeping nothing of a deleted user (their account's data,
 * the IP address and user agent of what they did). `forget` (user.deleted) first marks the user
 * deleted and scrubs what the log already holds of them; an entry arriving after that (a late
 * user.updated, an action of theirs still in flight) is stored without their data. Idempotent:
 * a redelivery marks, scrubs and inserts nothing new.
 */
export async function recordAuditEntry(
  pool: Pool,
  entry: NewAuditEntry,
  options: { forget?: string | undefined } = {},
): Promise<boolean> {
  const named = new Set(
    [accountOwnerOf(entry), entry.actorId, options.forget].filter(
      (userId): userId is string => typeof userId === 'string' && userId.length > 0,
    ),
  );
  if (named.size === 0) return insertAuditEntry(pool, entry);
  return withTransaction(pool, async (client) => {
    await lockUsers(client, [...named], options.forget);
    if (options.forget) {
      await client.query(
        'INSERT INTO audit_deleted_users (user_id) VALUES ($1) ON CONFLICT DO NOTHING',
        [options.forget],
      );
      await scrubEntriesOf(client, options.forget);
    }
    const { rows } = await client.query<{ userId: string }>(
      'SELECT user_id AS "userId" FROM audit_deleted_users WHERE user_id = ANY($1)',
      [[...named]],
    );
    const deleted = new Set(rows.map((row) => row.userId));
    return insertAuditEntry(client, deleted.size > 0 ? withoutDataOf(entry, deleted) : entry);
  });
}

/**
 * jsonb cannot hold U+0000, which other services' stores can: an event carrying one in a value
 * would never be recorded. It is kept as U+FFFD, the replacement character.
 */
function jsonOrNull(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  return JSON.stringify(value, (_key, inner: unknown) =>
    typeof inner === 'string' ? inner.replaceAll('\u0000', '\uFFFD') : inner,
  );
}

/** One page of a team's audit log, newest first, narrowed by the filters. */
export async function listAuditEntries(
  db: Db,
  teamId: string,
  filters: AuditFilters,
  page: { limit: number; after?: PageCursor | undefined },
): Promise<AuditEntry[]> {
  const conditions = ['team_id = $1'];
  const values: unknown[] = [teamId];
  const add = (sql: (placeholder: string) => string, value: unknown) => {
    values.push(value);
    conditions.push(sql(`$${values.length}`));
  };
  if (filters.entityType !== undefined) add((p) => `entity_type = ${p}`, filters.entityType);
  if (filters.entityId !== undefined) add((p) => `entity_id = ${p}`, filters.entityId);
  if (filters.actorId !== undefined) add((p) => `actor_id = ${p}`, filters.actorId);
  if (filters.action !== undefined) add((p) => `action = ${p}`, filters.action);
  if (filters.from !== undefined) add((p) => `occurred_at >= ${p}`, filters.from);
  if (filters.to !== undefined) add((p) => `occurred_at <= ${p}`, filters.to);
  if (page.after) {
    values.push(page.after.at, page.after.id);
    conditions.push(`(occurred_at, id) < ($${values.length - 1}, $${values.length}::bigint)`);
  }
  values.push(page.limit);
  const { rows } = await db.query<AuditEntry>(
    `SELECT id::text AS id, event_id AS "eventId", subject, entity_type AS "entityType",
            entity_id AS "entityId", action, team_id AS "teamId", actor_id AS "actorId",
            occurred_at AS "occurredAt", previous_state AS "previousState",
            new_state AS "newState", ip_address AS "ipAddress", user_agent AS "userAgent",
            request_id AS "requestId"
       FROM audit_logs
      WHERE ${conditions.join(' AND ')}
      ORDER BY occurred_at DESC, id DESC
      LIMIT $${values.length}`,
    values,
  );
  return rows;
}
