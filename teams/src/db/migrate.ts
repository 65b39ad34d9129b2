import type { Logger } from '@taskforge/common';
import { runner } from 'node-pg-migrate';
import type { Pool } from 'pg';
import { MIGRATIONS_DIR, MIGRATIONS_TABLE } from './migration-files';

export interface MigrateOptions {
  direction: 'up' | 'down';
  /** How many migrations to run; all of them when omitted. */
  count?: number;
  logger: Logger;
}

/**
 * Runs the versioned SQL migrations with node-pg-migrate, in one transaction. Pods starting
 * together wait for each other on the tool's advisory lock instead of failing.
 */
export async function runMigrations(pool: Pool, options: MigrateOptions): Promise<string[]> {
  const { logger } = options;
  const client = await pool.connect();
  try {
    const ran = await runner({
      dbClient: client,
      dir: MIGRATIONS_DIR,
      migrationsTable: MIGRATIONS_TABLE,
      direction: options.direction,
      count: options.count ?? Infinity,
      singleTransaction: true,
      checkOrder: true,
      advisoryLockMode: 'wait',
      logger: {
        debug: (message) => logger.debug(message),
        info: (message) => logger.debug(message),
        warn: (message) => logger.warn(message),
        error: (message) => logger.error(message),
      },
    });
    const names = ran.map((migration) => migration.name);
    if (names.length > 0) logger.info({ direction: options.direction, names }, 'migrations ran');
    return names;
  } finally {
    client.release();
  }
}
