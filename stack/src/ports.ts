import { readFileSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import type { RunningProcess } from './processes';

export function isPortOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** Whether a listener could bind 127.0.0.1:`port` now (it is not in use in any way). */
export function canBind(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/**
 * The first port of the kernel's ephemeral range. A server's port should lie below it: a port
 * in it may be the local end of any process's outgoing connection, which a server cannot bind.
 */
export function ephemeralRangeStart(): number {
  try {
    const low = Number(
      readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0],
    );
    if (Number.isSafeInteger(low) && low > 2048) return low;
  } catch {
    // not Linux
  }
  return 32768;
}

/** A port below the ephemeral range (no outgoing connection takes it meanwhile), free now. */
export async function freeServerPort(): Promise<number> {
  const high = ephemeralRangeStart();
  for (let attempt = 0; attempt < 100; attempt += 1) {
    const port = high - 10_000 + Math.floor(Math.random() * 10_000);
    if (await canBind(port)) return port;
  }
  throw new Error('no free port below the ephemeral range');
}

/** Waits until something listens on `port`, failing early if `proc` dies. */
export async function openPort(
  port: number,
  timeoutMs: number,
  proc?: RunningProcess,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (proc && proc.child.exitCode !== null) {
      throw new Error(`${proc.name} exited; see ${proc.logFile}`);
    }
    if (await isPortOpen(port)) return;
    await sleep(100);
  }
  throw new Error(`nothing listens on port ${port} after ${timeoutMs / 1000} s`);
}
