import { existsSync, readFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join, resolve } from 'node:path';

function databaseOf(mongoUrl: string, name: string): string {
  const url = new URL(mongoUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/** A service's own database on the stack's one MongoDB server. */
export const tasksDatabase = (mongoUrl: string) => databaseOf(mongoUrl, 'tasks');
export const ticketsDatabase = (mongoUrl: string) => databaseOf(mongoUrl, 'tickets');

/** The store the stack ran on: FerretDB + DocumentDB (versions from versions.env), or mongod. */
function mongoStore(stackDir: string): string {
  if (!existsSync(join(stackDir, 'stores', 'documentdb'))) return 'mongod';
  const versions = Object.fromEntries(
    readFileSync(resolve(__dirname, '..', '..', 'versions.env'), 'utf8')
      .split('\n')
      .map((line) => /^([A-Z_]+)=(.*)$/.exec(line))
      .filter((match) => match !== null)
      .map((match) => [match[1], match[2]]),
  );
  return `FerretDB ${versions.FERRETDB_VERSION} + DocumentDB ${versions.DOCUMENTDB_VERSION} (PostgreSQL ${versions.POSTGRES_VERSION})`;
}

/** The machine's load average over 1, 5 and 15 minutes, to two decimals. */
export function loadAverage(): number[] {
  return loadavg().map((v) => Math.round(v * 100) / 100);
}

/** What the results say of the machine a run met. */
export function machineInfo(stackDir: string) {
  return {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    mongo: mongoStore(stackDir),
    loadavg: loadAverage(),
  };
}
