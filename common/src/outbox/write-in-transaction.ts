import type { Pool, PoolClient } from 'pg';
import type { EventData } from '../events/catalogue';
import { buildEvent, type EventMetadata } from '../events/envelope';
import type { RecordedEvent } from './edit-document';
import { insertOutboxEvent } from './pg-outbox';

/** What a write in a transaction gives back: its result, and the events that describe it. */
export interface TransactionWrite<T> {
  result: T;
  events: RecordedEvent[];
}

/**
 * Runs `work` in one transaction on one client: committed when it resolves, rolled back when it
 * throws (and the error rethrown).
 */
export async function withTransaction<T>(
  pool: Pool,
  work: (client: PoolClient) => Promise<T>,
): Promise<T> {
  const client = await pool.connect();
  let broken = false;
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (err) {
    try {
      await client.query('ROLLBACK');
    } catch {
      // The connection itself failed: do not hand it back to the pool.
      broken = true;
    }
    throw err;
  } finally {
    client.release(broken);
  }
}

/**
 * The one way to write owned PostgreSQL rows with their events, `editDocument`'s twin: `work`
 * makes the change on the transaction's client (and throws the route's 404, 403 or 409 when it
 * may not be made) and returns its result with the events that describe it. The events go into
 * the outbox in the same transaction, so they exist exactly when the change commits; a `work`
 * that throws, or a commit that fails, leaves neither. The relay is told once, after the commit,
 * when there was an event.
 */
export async function writeInTransaction<T>(
  pool: Pool,
  work: (client: PoolClient) => Promise<TransactionWrite<T>>,
  options: { metadata?: EventMetadata; eventsRecorded: () => void },
): Promise<T> {
  const { result, events } = await withTransaction(pool, async (client) => {
    const written = await work(client);
    for (const { subject, data } of written.events) {
      await insertOutboxEvent(
        client,
        buildEvent(subject, data as EventData<typeof subject>, options.metadata),
      );
    }
    return written;
  });
  if (events.length > 0) options.eventsRecorded();
  return result;
}
