import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface ServiceProcess {
  url: string;
  /** What it wrote to stdout and stderr so far (all of it with `keepOutput`, else none). */
  output(): string;
  /** Sends the signal and resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** The last lines a starting process wrote, to say why it did not become ready. */
function tail(chunks: string[], lines = 15): string {
  return chunks.join('').split('\n').filter(Boolean).slice(-lines).join('\n');
}

/**
 * Runs a service's real entry point (`src/index.ts` of `cwd`, through tsx) with `env`, and waits
 * until its `/readyz` answers 200: what Kubernetes would run, minus the image. It listens on a
 * port the kernel picks (PORT=0) and writes it to PORT_FILE: a port found free beforehand could
 * be taken meanwhile by another test file's process, whose /readyz would then answer for it.
 * One that exits or does not become ready fails with its last output.
 */
export async function startServiceProcess(options: {
  cwd: string;
  env: Record<string, string>;
  readyTimeoutMs?: number;
  /** Keep everything it writes, for the test to read (its log lines), not only the start. */
  keepOutput?: boolean;
}): Promise<ServiceProcess> {
  const dir = await mkdtemp(join(tmpdir(), 'tf-service-'));
  const portFile = join(dir, 'port');
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/index.ts'], {
    cwd: options.cwd,
    env: { ...process.env, NODE_ENV: 'test', ...options.env, PORT: '0', PORT_FILE: portFile },
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
  let url: string | undefined;
  try {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`exited with ${child.exitCode}`);
      // The service writes the file in one rename once it listens: present means complete.
      url ??= await readFile(portFile, 'utf8').then(
        (port) => `http://127.0.0.1:${port.trim()}`,
        () => undefined,
      );
      const res = url ? await fetch(`${url}/readyz`).catch(() => undefined) : undefined;
      if (res?.status === 200) break;
      if (Date.now() > deadline) throw new Error(`not ready after ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  } catch (err) {
    child.kill('SIGKILL');
    const why = err instanceof Error ? err.message : String(err);
    throw new Error(`${options.cwd} (${url ?? 'not listening'}): ${why}\n${tail(output)}`, {
      cause: err,
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  // Ready: stop keeping its output unless asked, but keep reading it so a full pipe never blocks
  // it.
  const kept: string[] = [];
  if (options.keepOutput) {
    kept.push(...output);
    const all = (chunk: Buffer) => kept.push(chunk.toString('utf8'));
    child.stdout.off('data', keep).on('data', all);
    child.stderr.off('data', keep).on('data', all);
  } else {
    child.stdout.off('data', keep).resume();
    child.stderr.off('data', keep).resume();
  }
  return {
    url: url as string,
    output: () => kept.join(''),
    stop: (signal = 'SIGTERM') => {
      if (child.exitCode === null) child.kill(signal);
      return exited;
    },
  };
}
