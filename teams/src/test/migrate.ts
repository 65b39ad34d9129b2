import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const WORKSPACE = resolve(__dirname, '..', '..');

/**
 * Runs `npm run migrate` as a Kubernetes Job would, in a process of its own: node-pg-migrate
 * is an ES module, which Node loads from our CommonJS build but Jest's module system cannot.
 */
export async function migrate(databaseUrl: string, ...args: string[]): Promise<void> {
  await run(process.execPath, ['--import', 'tsx', 'src/cli/migrate.ts', ...args], {
    cwd: WORKSPACE,
    env: { ...process.env, DATABASE_URL: databaseUrl, NODE_ENV: 'test' },
  });
}
