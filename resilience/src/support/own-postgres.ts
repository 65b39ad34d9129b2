import { execFile } from 'node:child_process';
import { chownSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { restartablePort } from '@taskforge/common/testing';

const run = promisify(execFile);

/** A PostgreSQL server of the test's own, so it can be stopped without touching the shared one. */
export interface OwnPostgres {
  url: string;
  stop(): Promise<void>;
  start(): Promise<void>;
  destroy(): Promise<void>;
}

function pgBin(): string {
  const versions = readdirSync('/usr/lib/postgresql').sort((a, b) => Number(a) - Number(b));
  const latest = versions[versions.length - 1];
  if (!latest) throw new Error('PostgreSQL is not installed (scripts/infra.sh provision)');
  return join('/usr/lib/postgresql', latest, 'bin');
}

export async function startOwnPostgres(): Promise<OwnPostgres> {
  const bin = pgBin();
  // Under /tmp: PostgreSQL runs as the postgres user when we are root, and must reach it.
  const dir = mkdtempSync(join(tmpdir(), 'tf-own-pg-'));
  const asPostgres = process.getuid?.() === 0;
  if (asPostgres) chownSync(dir, Number((await run('id', ['-u', 'postgres'])).stdout.trim()), 0);
  const pg = (tool: string, args: string[]) =>
    asPostgres
      ? run('runuser', ['-u', 'postgres', '--', join(bin, tool), ...args])
      : run(join(bin, tool), args);
  const data = join(dir, 'data');
  await pg('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8']);
  // Stopped and started again on this port while other suites run.
  const port = await restartablePort();
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`;
  const start = async () => {
    await pg('pg_ctl', ['-D', data, '-l', join(dir, 'pg.log'), '-w', '-o', options, 'start']);
  };
  const stop = async () => {
    await pg('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop']);
  };
  await start();
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    start,
    stop,
    async destroy() {
      await stop().catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
