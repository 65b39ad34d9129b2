import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { readEnvFile } from '@taskforge/stack/launch';
import { checkConvergence, type ConvergeReport } from './converge';

const USAGE = `Usage: npm run converge -- [--dir <stack folder>] [--wait <seconds>]

Compares every replica of the local stack (npm run stack) with its owner and prints each
difference; exits 1 when there is any. Reads the stores from <dir>/stores.env
(default .local/stack). --wait retries until converged or the time is up (events in flight).`;

function databaseOf(url: string, name: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${name}`;
  return parsed.toString();
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      dir: { type: 'string', default: join('.local', 'stack') },
      wait: { type: 'string', default: '0' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const root = resolve(__dirname, '..', '..');
  const file = resolve(root, values.dir, 'stores.env');
  if (!existsSync(file)) throw new Error(`${file} not found: is the stack running there?`);
  const env = readEnvFile(file);
  const mongo = env.MONGO_URL;
  const postgres = env.DATABASE_URL;
  if (!mongo || !postgres) throw new Error(`${file} lacks MONGO_URL or DATABASE_URL`);
  const stores = {
    auth: databaseOf(mongo, 'auth'),
    tickets: databaseOf(mongo, 'tickets'),
    tasks: databaseOf(mongo, 'tasks'),
    notifications: databaseOf(mongo, 'notifications'),
    teams: postgres,
  };

  const deadline = Date.now() + Number(values.wait) * 1000;
  let report: ConvergeReport;
  for (;;) {
    report = await checkConvergence(stores);
    if (report.differences.length === 0 || Date.now() >= deadline) break;
    await sleep(1000);
  }
  for (const [replica, count] of Object.entries(report.checked)) {
    const problems = report.differences.filter((d) => d.replica === replica).length;
    process.stdout.write(
      `${replica.padEnd(22)} ${String(count).padStart(6)} checked, ${problems} differences\n`,
    );
  }
  for (const d of report.differences) {
    process.stdout.write(`  ${d.replica} ${d.id}: ${d.problem}\n`);
  }
  process.stdout.write(
    report.differences.length === 0 ? 'converged\n' : `${report.differences.length} differences\n`,
  );
  process.exitCode = report.differences.length === 0 ? 0 : 1;
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(2);
});
