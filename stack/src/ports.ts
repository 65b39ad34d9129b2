import { createConnection } from 'node:net';
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
