import type { Db } from './transaction';
import type { PageCursor } from './memberships';

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
