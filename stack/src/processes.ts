import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

export interface RunningProcess {
  name: string;
  child: ChildProcess;
  logFile: string;
  /** Resolves with the exit code once the process has ended. */
  exited: Promise<number | null>;
}

/** Starts a long-running process with its output appended to `logFile`. */
export function startProcess(options: {
  name: string;
  command: string[];
  cwd: string;
  env: Record<string, string>;
  logFile: string;
}): RunningProcess {
  const [file, ...args] = options.command;
  if (!file) throw new Error(`${options.name}: empty command`);
  const log = createWriteStream(options.logFile, { flags: 'a' });
  const child = spawn(file, args, {
    cwd: options.cwd,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.pipe(log, { end: false });
  child.stderr?.pipe(log, { end: false });
  const exited = new Promise<number | null>((resolve) => {
    child.once('error', () => resolve(null));
    child.once('exit', (code) => {
      log.end();
      resolve(code);
    });
  });
  return { name: options.name, child, logFile: options.logFile, exited };
}

/** SIGTERM, then SIGKILL if it has not ended within `graceMs`. */
export async function stopProcess(proc: RunningProcess, graceMs = 15_000): Promise<void> {
  if (proc.child.exitCode !== null || proc.child.signalCode !== null) return;
  proc.child.kill('SIGTERM');
  const grace = new AbortController();
  const ended = await Promise.race([
    proc.exited.then(() => true),
    sleep(graceMs, false, { signal: grace.signal }).catch(() => true),
  ]);
  // The timer would keep the event loop (a test run, the CLI's shutdown) alive for the grace.
  grace.abort();
  if (!ended) {
    proc.child.kill('SIGKILL');
    await proc.exited;
  }
}

/** Polls `url` until it answers 200; fails early if the process dies. */
export async function waitUntilReady(
  url: string,
  proc: RunningProcess,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let dead = false;
  void proc.exited.then(() => {
    dead = true;
  });
  while (Date.now() < deadline) {
    if (dead) throw new Error(`${proc.name} exited during start-up; see ${proc.logFile}`);
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await sleep(250);
  }
  throw new Error(`${proc.name} was not ready within ${timeoutMs / 1000} s; see ${proc.logFile}`);
}
