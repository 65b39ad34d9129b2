import { spawn } from 'node:child_process';
import { freePort } from './ports';

export interface ServiceProcess {
  url: string;
  /** Sends the signal and resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** The last lines a starting process wrote, to say why it did not become ready. */
function tail(chunks: string[], lines = 15): string {
  return chunks.join('').split('\n').filter(Boolean).slice(-lines).join('\n');
}

/**
 * Runs a service's real entry point (`src/index.ts` of `cwd`, through tsx) on a free port with
 * `env`, and waits until its `/readyz` answers 200: what Kubernetes would run, minus the image.
 * A process that exits during start-up is started again on another port (a free port can be
 * taken by someone else before the service listens), up to `attempts` times; one that does not
 * become ready fails with its last output.
 */
export async function startServiceProcess(options: {
  cwd: string;
  env: Record<string, string>;
  readyTimeoutMs?: number;
  attempts?: number;
}): Promise<ServiceProcess> {
  const attempts = options.attempts ?? 3;
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await startOnce(options);
    } catch (err) {
      if (!(err instanceof StartupExit) || attempt >= attempts) throw err;
    }
  }
}

class StartupExit extends Error {}

async function startOnce(options: {
  cwd: string;
  env: Record<string, string>;
  readyTimeoutMs?: number;
}): Promise<ServiceProcess> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/index.ts'], {
    cwd: options.cwd,
    env: { ...process.env, NODE_ENV: 'test', ...options.env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  const keep = (chunk: Buffer) => {
    output.push(chunk.toString('utf8'));
    if (output.length > 200) output.splice(0, output.length - 100);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  const timeoutMs = options.readyTimeoutMs ?? 30_000;
  try {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (child.exitCode !== null) throw new StartupExit(`exited with ${child.exitCode}`);
      const res = await fetch(`${url}/readyz`).catch(() => undefined);
      if (res?.status === 200) break;
      if (Date.now() > deadline) throw new Error('not ready');
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  } catch (err) {
    child.kill('SIGKILL');
    const why = err instanceof StartupExit ? err.message : `not ready after ${timeoutMs} ms`;
    const message = `${options.cwd} on port ${port}: ${why}\n${tail(output)}`;
    throw err instanceof StartupExit ? new StartupExit(message) : new Error(message);
  }
  // Ready: stop keeping its output, but keep reading it so a full pipe never blocks it.
  child.stdout.off('data', keep).resume();
  child.stderr.off('data', keep).resume();
  return {
    url,
    stop: (signal = 'SIGTERM') => {
      if (child.exitCode === null) child.kill(signal);
      return exited;
    },
  };
}
