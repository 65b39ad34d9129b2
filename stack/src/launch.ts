import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { canBind, ephemeralRangeStart } from './ports';

/** A stack started by another program (benchmarks, fault scripts) through the CLI. */
export interface LaunchedStack {
  /** The gateway, as the CLI printed it. */
  url: string;
  base: number;
  dir: string;
  child: ChildProcess;
  /** The trace server's address as the CLI printed it, where `--tracing` started one. */
  tracesUrl?: string;
  /** The store URLs the stack wrote to `<dir>/stores.env` (MONGO_URL, DATABASE_URL, …). */
  stores: Record<string, string>;
  natsUrl: string;
  /** What the CLI printed so far (for error messages). */
  output: string[];
  /** Ctrl-C, as a person would: the CLI stops every process and store, then exits. */
  stop(): Promise<number | null>;
}

/**
 * The ports of a stack's block, from its base: the gateway, the apps, nats, the SMTP sink, the
 * stores, and Jaeger's two where --tracing runs it (topology's TRACE_COLLECTOR; Zipkin takes the
 * first).
 */
export const STACK_PORTS = 20;

/**
 * A base port whose whole block (gateway, services, stores) is free, below the kernel's
 * ephemeral range. Above it, the many outgoing connections of a benchmark or a test run can
 * hold one of the block's ports as their local end, and a store could not bind it (Redis
 * "did not start" once, right after a bench run).
 */
export async function freeStackBase(): Promise<number> {
  const blocks = Math.floor((ephemeralRangeStart() - STACK_PORTS - 20_000) / 20);
  for (;;) {
    const base = 20_000 + Math.floor(Math.random() * blocks) * 20;
    const free = await Promise.all(
      Array.from({ length: STACK_PORTS }, (_, i) => canBind(base + i)),
    );
    if (free.every(Boolean)) return base;
  }
}

/** The KEY=value lines of an env file. */
export function readEnvFile(file: string): Record<string, string> {
  const values: Record<string, string> = {};
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const match = /^([A-Z0-9_]+)=(.*)$/.exec(line.trim());
    if (match?.[1] && match[2] !== undefined) values[match[1]] = match[2];
  }
  return values;
}

/**
 * Runs `npm run stack`'s CLI (`--no-build` when every service is built) on a free block of
 * ports and resolves once it printed `ready`. `env` reaches every service (RATE_LIMIT_MAX, …);
 * `args` are more of the CLI's flags (`--tracing=zipkin`).
 */
export async function launchStack(options: {
  root: string;
  dir: string;
  env?: Record<string, string>;
  args?: string[];
  build?: boolean;
  timeoutMs?: number;
}): Promise<LaunchedStack> {
  const base = await freeStackBase();
  const output: string[] = [];
  const child = spawn(
    join(options.root, 'node_modules', '.bin', 'tsx'),
    [
      join(options.root, 'stack', 'src', 'cli.ts'),
      '--port',
      String(base),
      '--dir',
      options.dir,
      // A tool's stack in a folder of its own that goes when it is done: no data to keep.
      '--throwaway',
      ...(options.build ? [] : ['--no-build']),
      ...(options.args ?? []),
    ],
    {
      cwd: options.root,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, NODE_ENV: '', ...options.env },
      // Its own process group: a Ctrl-C meant for the caller reaches the stack once, through
      // stop(), instead of twice (which makes the CLI exit without stopping its stores).
      detached: true,
    },
  );
  child.stderr?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`the stack was not ready in time:\n${output.join('\n')}`)),
      options.timeoutMs ?? 240_000,
    );
    child.stdout?.on('data', (chunk: Buffer) => {
      for (const line of chunk.toString().split('\n')) {
        if (line) output.push(line);
        const ready = /\[stack\] ready: (\S+)/.exec(line);
        if (ready?.[1]) {
          clearTimeout(timer);
          resolve(ready[1]);
        }
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`the stack exited with ${code}:\n${output.join('\n')}`));
    });
  });
  const storesFile = join(options.dir, 'stores.env');
  const traces = output.map((line) => /\[stack\] traces: (\S+)/.exec(line)?.[1]).find(Boolean);
  return {
    url,
    base,
    dir: options.dir,
    child,
    tracesUrl: traces,
    stores: existsSync(storesFile) ? readEnvFile(storesFile) : {},
    natsUrl: `nats://127.0.0.1:${base + 10}`,
    output,
    stop: () => {
      if (child.exitCode === null) child.kill('SIGINT');
      return exited;
    },
  };
}
