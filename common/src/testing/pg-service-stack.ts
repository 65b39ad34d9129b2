import { escapeIdentifier, Pool } from 'pg';
import { PgOutboxStore } from '../outbox/pg-outbox';
import { startPostgres, type TestPostgres } from './postgres';
import { startStackParts, type TestStackBase } from './stack-base';

export interface PgServiceTestStack extends TestStackBase {
  postgres: TestPostgres;
  /** A pool on this file's database, as the service's. */
  pool: Pool;
  /** What a service's `readConfig` needs on top of `process.env` to reach these servers. */
  env: Record<string, string>;
  /** Empties every table but the kept ones, and this file's Redis keys. */
  reset(): Promise<void>;
  close(): Promise<void>;
}

/**
 * The PostgreSQL twin of `startServiceTestStack`: a database of this test file's own (migrated
 * by `migrate` before the relay starts), a nats-server, a Redis key prefix, the JWT test keys in
 * env, and the outbox relay over the `outbox` table, publishing to the real stream.
 */
export async function startPgServiceTestStack(options: {
  service: string;
  /** Creates the schema, the outbox table included. */
  migrate?: (pool: Pool, databaseUrl: string) => Promise<unknown>;
  /** Tables `reset()` leaves alone: the migrations' bookkeeping, reference data they insert. */
  keepTables?: string[];
  relay?: boolean;
}): Promise<PgServiceTestStack> {
  const parts = await startStackParts({
    service: options.service,
    relay: options.relay,
    openStore: async () => {
      const postgres = await startPostgres();
      const pool = new Pool({ connectionString: postgres.url, max: 10 });
      await options.migrate?.(pool, postgres.url);
      return { postgres, pool };
    },
    outboxStore: ({ pool }) => new PgOutboxStore(pool),
  });
  const { postgres, pool } = parts.store;
  // pool.end() resolves before its connections are closed; dropping the database then
  // terminates them, which the pool reports as an error of an idle client. Nothing to do.
  pool.on('error', (err) => parts.base.logger.debug({ err }, 'postgres idle client error'));
  const keep = new Set(options.keepTables ?? []);

  const truncateTables = async () => {
    const { rows } = await pool.query<{ tablename: string }>(
      'SELECT tablename FROM pg_tables WHERE schemaname = current_schema()',
    );
    const tables = rows.map((row) => row.tablename).filter((name) => !keep.has(name));
    if (tables.length === 0) return;
    await pool.query(
      `TRUNCATE ${tables.map((name) => escapeIdentifier(name)).join(', ')} RESTART IDENTITY CASCADE`,
    );
  };

  return {
    ...parts.base,
    postgres,
    pool,
    env: { NODE_ENV: 'test', DATABASE_URL: postgres.url, NATS_URL: parts.base.natsUrl },
    async reset() {
      await Promise.all([truncateTables(), parts.deleteRedisKeys()]);
    },
    async close() {
      await parts.stop();
      await pool.end();
      await postgres.stop();
    },
  };
}
