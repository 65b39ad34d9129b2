import type { Pool, PoolClient } from 'pg';
import type { EventEnvelope } from '../events/envelope';
import type { OutboxStore, PendingEvent, PendingStats } from './relay';

/** The table the relay reads; a service's migrations create it with this statement. */
export const PG_OUTBOX_DDL = `
CREATE TABLE IF NOT EXISTS outbox (
  seq BIGSERIAL PRIMARY KEY,
  id UUID NOT NULL UNIQUE,
  subject TEXT NOT NULL,
  event JSONB NOT NULL,
  created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  published_at TIMESTAMPTZ
);
CREATE INDEX IF NOT EXISTS outbox_unpublished_idx ON outbox (seq) WHERE published_at IS NULL;
`;

/** Inserts the event inside the caller's transaction: it exists exactly when the write commits. */
export async function insertOutboxEvent(client: PoolClient, event: EventEnvelope): Promise<void> {
  await client.query('INSERT INTO outbox (id, subject, event) VALUES ($1, $2, $3)', [
    event.id,
    event.subject,
    JSON.stringify(event),
  ]);
}

/** Reads unpublished rows in commit order; several relays can run (SKIP LOCKED would split them). */
export class PgOutboxStore implements OutboxStore<PgPendingEvent> {
  constructor(private readonly pool: Pool) {}

  async fetchPending(limit: number): Promise<PgPendingEvent[]> {
    const { rows } = await this.pool.query<{ seq: string; event: EventEnvelope }>(
      'SELECT seq, event FROM outbox WHERE published_at IS NULL ORDER BY seq LIMIT $1',
      [limit],
    );
    return rows.map((row) => ({ event: row.event, group: 'outbox', seq: row.seq }));
  }

  async pendingStats(): Promise<PendingStats> {
    const { rows } = await this.pool.query<{ count: number; oldest: Date | null }>(
      'SELECT count(*)::int AS count, min(created_at) AS oldest FROM outbox WHERE published_at IS NULL',
    );
    return { count: rows[0]?.count ?? 0, oldest: rows[0]?.oldest ?? null };
  }

  async markPublished(items: PgPendingEvent[]): Promise<void> {
    await this.pool.query('UPDATE outbox SET published_at = now() WHERE seq = ANY($1::bigint[])', [
      items.map((item) => item.seq),
    ]);
  }
}

interface PgPendingEvent extends PendingEvent {
  seq: string;
}
