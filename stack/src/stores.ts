import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { SMTPServer } from 'smtp-server';
import { startProcess, stopProcess, type RunningProcess } from './processes';
import { openPort } from './ports';

const run = promisify(execFile);

export interface StorePorts {
  mongo: number;
  /** The PostgreSQL under FerretDB, where FerretDB + DocumentDB is the MongoDB-compatible store. */
  documentdbPostgres: number;
  redis: number;
  postgres: number;
  s3: number;
  nats: number;
  natsMonitor: number;
  smtp: number;
}

/** The store URLs scripts/infra.sh wrote (MONGO_URL, REDIS_URL, DATABASE_URL, S3_*). */
export type StoreEnv = Record<string, string>;

/**
 * `keep`: the stores keep their data in `dataDir` across stops and starts, written to disk as
 * it is acknowledged (scripts/infra.sh with TF_KEEP_DATA=1); otherwise it goes with `stop`.
 */
function infraEnv(
  root: string,
  dataDir: string,
  ports: StorePorts,
  keep: boolean,
): NodeJS.ProcessEnv {
  return {
    ...process.env,
    TF_KEEP_DATA: keep ? '1' : '0',
    TF_STATE_DIR: join(dataDir, 'stores'),
    TF_ENV_FILE: join(dataDir, 'stores.env'),
    TF_MONGO_PORT: String(ports.mongo),
    TF_DOCDB_PG_PORT: String(ports.documentdbPostgres),
    TF_REDIS_PORT: String(ports.redis),
    TF_PG_PORT: String(ports.postgres),
    TF_S3_PORT: String(ports.s3),
    TF_ROOT: root,
  };
}

/** Installs what is missing (Debian packages, FerretDB + DocumentDB, the S3 server): the same script CI uses. */
export async function provisionStores(root: string): Promise<void> {
  await run(join(root, 'scripts', 'infra.sh'), ['provision'], { cwd: root });
}

/** Starts mongod or FerretDB + DocumentDB, Redis, PostgreSQL and the S3 server with their data under `dataDir`. */
export async function startStores(
  root: string,
  dataDir: string,
  ports: StorePorts,
  keep = true,
): Promise<StoreEnv> {
  const env = infraEnv(root, dataDir, ports, keep);
  await run(join(root, 'scripts', 'infra.sh'), ['start'], { cwd: root, env });
  const values: StoreEnv = {};
  for (const line of readFileSync(env.TF_ENV_FILE as string, 'utf8').split('\n')) {
    const match = /^([A-Z0-9_]+)=(.*)$/.exec(line.trim());
    if (match?.[1] && match[2] !== undefined) values[match[1]] = match[2];
  }
  return values;
}

/** Stops the stores; with `keep` false their data goes too. */
export async function stopStores(
  root: string,
  dataDir: string,
  ports: StorePorts,
  keep = true,
): Promise<void> {
  await run(join(root, 'scripts', 'infra.sh'), ['stop'], {
    cwd: root,
    env: infraEnv(root, dataDir, ports, keep),
  });
}

/**
 * nats-server with JetStream, its store under `dataDir`: the build `scripts/infra.sh` made at
 * the version of versions.env (`NATS_SERVER_BIN` in the stores' env). Its streams and consumers
 * stay there across runs: a message is written before it is acknowledged and synced to disk
 * within a second (nats-server's default is two minutes).
 */
export async function startNats(
  dataDir: string,
  ports: StorePorts,
  bin = 'nats-server',
): Promise<RunningProcess> {
  const dir = join(dataDir, 'nats');
  mkdirSync(dir, { recursive: true });
  const config = join(dataDir, 'nats.conf');
  writeFileSync(
    config,
    `jetstream {\n  store_dir: ${JSON.stringify(dir)}\n  sync_interval: "1s"\n}\n`,
  );
  const proc = startProcess({
    name: 'nats',
    command: [
      bin,
      '-c',
      config,
      '-a',
      '127.0.0.1',
      '-p',
      String(ports.nats),
      '-m',
      String(ports.natsMonitor),
    ],
    cwd: dataDir,
    env: {},
    logFile: join(dataDir, 'logs', 'nats.log'),
  });
  await openPort(ports.nats, 15_000, proc);
  return proc;
}

export { stopProcess as stopNats };

/**
 * An SMTP sink, the local stand-in for Mailpit: accepts every message and keeps it as an
 * `.eml` file under `mailDir`, so what the suite sends can be opened in any mail reader.
 */
export async function startSmtpSink(mailDir: string, port: number): Promise<SMTPServer> {
  mkdirSync(mailDir, { recursive: true });
  let count = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    banner: 'TaskForge local mail sink',
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        count += 1;
        const name = `${new Date().toISOString().replace(/[:.]/g, '-')}-${count}.eml`;
        writeFileSync(join(mailDir, name), Buffer.concat(chunks));
        callback();
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  return server;
}
