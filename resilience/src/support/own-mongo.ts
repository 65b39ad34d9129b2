import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { restartablePort } from '@taskforge/common/testing';

const run = promisify(execFile);
const DOCUMENTDB = resolve(__dirname, '..', '..', '..', 'scripts', 'documentdb.sh');

/**
 * A MongoDB-compatible server of the test's own (FerretDB v2 on PostgreSQL with DocumentDB, as
 * scripts/infra.sh runs it), restartable on the same ports and data, so a test can take its
 * database away: FerretDB itself, or the PostgreSQL under it.
 */
export interface OwnMongo {
  url: string;
  stop(): Promise<void>;
  start(): Promise<void>;
  stopPostgres(): Promise<void>;
  startPostgres(): Promise<void>;
  destroy(): Promise<void>;
}

export async function startOwnMongo(): Promise<OwnMongo> {
  const dir = mkdtempSync(join(tmpdir(), 'tf-own-documentdb-'));
  // Both are stopped and started again on the same port while other suites run.
  const pgPort = await restartablePort();
  const port = await restartablePort([pgPort]);
  const documentdb = (...args: string[]) => run(DOCUMENTDB, args).then(() => undefined);
  await documentdb('start', dir, String(pgPort), String(port));
  return {
    url: `mongodb://127.0.0.1:${port}`,
    stop: () => documentdb('stop-ferretdb', dir),
    start: () => documentdb('start-ferretdb', dir),
    stopPostgres: () => documentdb('stop-postgres', dir),
    startPostgres: () => documentdb('start-postgres', dir),
    async destroy() {
      await documentdb('destroy', dir);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
