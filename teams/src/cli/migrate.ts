/*
 * `npm run migrate -w teams -- up|down [count|all]`, and in the image
 * `node teams/build/cli/migrate.js up` (a Kubernetes Job). `up` runs every pending migration
 * unless a count is given; `down` undoes one unless a count (or `all`) is given.
 */
import { ConfigError, createLogger } from '@taskforge/common';
import { Pool } from 'pg';
import { readDatabaseConfig } from '../config';
import { runMigrations } from '../db/migrate';

class UsageError extends Error {
  constructor() {
    super('usage: migrate up|down [count|all]');
  }
}

function parseArgs(args: string[]): { direction: 'up' | 'down'; count: number } {
  const [direction, countArg] = args;
  if ((direction !== 'up' && direction !== 'down') || args.length > 2) throw new UsageError();
  if (countArg === undefined) return { direction, count: direction === 'up' ? Infinity : 1 };
  if (countArg === 'all') return { direction, count: Infinity };
  const count = Number(countArg);
  if (!Number.isSafeInteger(count) || count < 1) throw new UsageError();
  return { direction, count };
}

async function main(): Promise<void> {
  const logger = createLogger('teams-migrate');
  let pool: Pool | undefined;
  try {
    const { direction, count } = parseArgs(process.argv.slice(2));
    const config = readDatabaseConfig();
    pool = new Pool({ connectionString: config.DATABASE_URL, max: 1 });
    const names = await runMigrations(pool, { direction, count, logger });
    if (names.length === 0) logger.info({ direction }, 'nothing to migrate');
  } catch (err) {
    if (err instanceof UsageError) logger.fatal(err.message);
    else if (err instanceof ConfigError) logger.fatal({ problems: err.problems }, err.message);
    else logger.fatal({ err }, 'migration failed');
    process.exitCode = 1;
  } finally {
    await pool?.end();
  }
}

void main();
