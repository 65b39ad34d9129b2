import type { Express } from 'express';
import { Pool, type PoolConfig } from 'pg';
import type { BaseConfig } from '../config';
import type { Listener } from '../events/listener';
import type { Logger } from '../logger';
import { PgOutboxStore } from '../outbox/pg-outbox';
import { runService, type ConsumerSpec, type ServiceContext } from './run-service';

export type PgServiceContext<C> = ServiceContext<C> & { pool: Pool };

export interface PgServiceOptions<C extends BaseConfig & { DATABASE_URL: string }> {
  service: string;
  readConfig: () => C;
  /**
   * Brings the schema up to date (the outbox table included) before the relay, the listeners
   * or the app touch it. Must be safe when several pods start at once.
   */
  migrate?: (pool: Pool, logger: Logger) => Promise<unknown>;
  /** Pool settings besides the connection string (size, timeouts). */
  pool?: (config: C) => Omit<PoolConfig, 'connectionString'>;
  buildApp: (context: PgServiceContext<C>) => Express;
  /** Listeners on the service's own durable consumer (named after the service). */
  listeners?: (context: PgServiceContext<C>) => Listener[];
  /** More durable consumers, for concerns that must progress apart (an audit log). */
  consumers?: (context: PgServiceContext<C>) => ConsumerSpec[];
}

/**
 * The PostgreSQL twin of `runMongoService`: config, a `pg` pool, migrations, NATS (stream), the
 * outbox relay over the `outbox` table, Redis, the listeners on one or more durable consumers,
 * the HTTP server, and the shutdown in reverse (the pool closes after NATS drained).
 */
export function runPgService<C extends BaseConfig & { DATABASE_URL: string }>(
  options: PgServiceOptions<C>,
): void {
  runService<C, { pool: Pool }>({
    service: options.service,
    readConfig: options.readConfig,
    openStore: async (config, logger) => {
      const pool = new Pool({
        connectionTimeoutMillis: 10_000,
        ...options.pool?.(config),
        connectionString: config.DATABASE_URL,
      });
      // An idle client losing its connection must not crash the process; the pool replaces it.
      pool.on('error', (err) => logger.warn({ err }, 'postgres idle client error'));
      try {
        // Fails when the database cannot be reached, as MongoDB's connect does (runService waits
        // and tries again for a while).
        await pool.query('SELECT 1');
        await options.migrate?.(pool, logger);
      } catch (err) {
        await pool.end();
        throw err;
      }
      return { context: { pool }, outboxStore: new PgOutboxStore(pool), close: () => pool.end() };
    },
    buildApp: options.buildApp,
    consumers: (context) => [
      { durable: options.service, listeners: options.listeners?.(context) ?? [] },
      ...(options.consumers?.(context) ?? []),
    ],
  });
}
