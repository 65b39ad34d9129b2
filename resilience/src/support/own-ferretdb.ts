import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { isPortOpen } from '../../../stack/src/ports';
import { waitFor } from '@taskforge/common/testing';
import { freePort } from './ports';

/**
 * A MongoDB-compatible server of the test's own (FerretDB v1 on SQLite, as scripts/infra.sh
 * builds it), restartable on the same port and data, so a test can take its database away.
 */
export interface OwnMongo {
  url: string;
  stop(): Promise<void>;
  start(): Promise<void>;
  destroy(): Promise<void>;
}

export const FERRETDB_BIN =
  process.env.FERRETDB_BIN ?? join(homedir(), '.cache', 'taskforge', 'ferretdb-v1.24.2');

export async function startOwnMongo(): Promise<OwnMongo> {
  if (!existsSync(FERRETDB_BIN)) {
    throw new Error(`${FERRETDB_BIN} is missing: run scripts/infra.sh provision`);
  }
  const dir = mkdtempSync(join(tmpdir(), 'tf-own-ferretdb-'));
  const port = await freePort();
  let child: ChildProcess | undefined;
  const start = async () => {
    child = spawn(
      FERRETDB_BIN,
      [
        '--handler=sqlite',
        `--sqlite-url=file:${dir}/`,
        `--listen-addr=127.0.0.1:${port}`,
        '--debug-addr=-',
        '--telemetry=disable',
        `--state-dir=${dir}`,
        '--log-level=error',
      ],
      { stdio: 'ignore' },
    );
    await waitFor(() => isPortOpen(port), { timeoutMs: 15_000 });
  };
  const stop = async () => {
    const proc = child;
    if (!proc || proc.exitCode !== null) return;
    const exited = new Promise((resolve) => proc.once('exit', resolve));
    proc.kill('SIGTERM');
    await exited;
  };
  await start();
  return {
    url: `mongodb://127.0.0.1:${port}`,
    start,
    stop,
    async destroy() {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
