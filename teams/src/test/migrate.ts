import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { createLogger } from '@taskforge/common';
import type { Pool } from 'pg';
import { runMigrations } from '../db/migrate';

const run = promisify(execFile);
const WORKSPACE = resolve(__dirname, '..', '..');

/**
 * Runs the migrations in this process, as `npm run migrate` does (`count` as its argument:
 * a number, or `all`; `up` runs every pending one and `down` undoes one when it is omitted).
 * node-pg-migrate is an ES module: teams' `npm test` gives Jest `--experimental-vm-modules`,
 * with which Jest 30 on Node 24 loads it through `require`.
 */
export async function migrate(
  pool: Pool,
  direction: 'up' | 'down',
  count?: number | 'all',
): Promise<string[]> {
  return runMigrations(pool, {
    direction,
    count: count === 'all' ? Infinity : (count ?? (direction === 'up' ? Infinity : 1)),
    logger: createLogger('teams-migrate', { NODE_ENV: 'test' }),
  });
}

/** The migration command itself, in a process of its own as a Kubernetes Job runs it. */
export function migrateCommand(databaseUrl: string, ...args: string[]) {
  return run(process.execPath, ['--import', 'tsx', 'src/cli/migrate.ts', ...args], {
    cwd: WORKSPACE,
    env: { ...process.env, DATABASE_URL: databaseUrl, NODE_ENV: 'test' },
  });
}
