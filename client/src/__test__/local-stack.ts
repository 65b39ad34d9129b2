import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const root = join(__dirname, '..', '..', '..');

function isPortOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/**
 * A base port whose whole block (gateway, services, stores) is free, below Linux's ephemeral
 * range (32768 and up), where an outgoing connection could take a port between check and use.
 */
async function freeBase(): Promise<number> {
  for (;;) {
    const base = 20_000 + Math.floor(Math.random() * 600) * 20;
    const busy = await Promise.all(Array.from({ length: 17 }, (_, i) => isPortOpen(base + i)));
    if (!busy.some(Boolean)) return base;
  }
}

/** Whether every service and the client have a build the stack can run as is. */
export function everythingBuilt(): boolean {
  const services = ['auth', 'tickets', 'teams', 'tasks', 'notifications'];
  return (
    existsSync(join(root, 'common', 'build', 'index.js')) &&
    services.every((s) => existsSync(join(root, s, 'build', 'index.js'))) &&
    existsSync(join(root, 'client', '.next', 'standalone', 'client', 'server.js'))
  );
}

export interface LocalStack {
  url: string;
  /** Where the stack's SMTP sink keeps what the suite mailed, one `.eml` file each. */
  mailDir: string;
  stop: () => Promise<void>;
}

/**
 * `npm run stack` on free ports with its own data folder, as stack.test.ts starts it; it builds
 * the suite first (the client included) when some build is missing. The processes' logs are
 * copied to `keepLogsIn` when it stops, or fails to start.
 */
export async function startLocalStack(keepLogsIn: string): Promise<LocalStack> {
  const dir = mkdtempSync(join(tmpdir(), 'taskforge-e2e-'));
  // Jest's NODE_ENV=test must not reach the stack's processes.
  const env = { ...process.env, NODE_ENV: 'production' as const };
  const base = await freeBase();
  const child: ChildProcess = spawn(
    join(root, 'node_modules', '.bin', 'tsx'),
    [
      join(root, 'stack', 'src', 'cli.ts'),
      '--port',
      String(base),
      '--dir',
      dir,
      '--throwaway',
      ...(everythingBuilt() ? ['--no-build'] : []),
    ],
    { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], env },
  );
  const output: string[] = [];
  child.stderr?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const keepLogs = () => {
    if (!existsSync(join(dir, 'logs'))) return;
    rmSync(keepLogsIn, { recursive: true, force: true });
    cpSync(join(dir, 'logs'), keepLogsIn, { recursive: true });
  };

  let url: string;
  try {
    url = await new Promise<string>((resolve, reject) => {
      child.stdout?.on('data', (chunk: Buffer) => {
        for (const line of chunk.toString().split('\n')) {
          output.push(line);
          const ready = /\[stack\] ready: (\S+)/.exec(line);
          if (ready?.[1]) resolve(ready[1]);
        }
      });
      child.once('exit', (code) =>
        reject(new Error(`the stack exited with ${code}:\n${output.join('\n')}`)),
      );
    });
  } catch (err) {
    await exited;
    keepLogs();
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }

  return {
    url,
    mailDir: join(dir, 'mail'),
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGINT');
        const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
        await exited;
        clearTimeout(timer);
      }
      keepLogs();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
