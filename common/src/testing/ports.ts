import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';

function listenOnce(port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      const { port: bound } = server.address() as { port: number };
      server.close(() => resolve(bound));
    });
  });
}

/** A port free now, from the kernel's ephemeral range. */
export function freePort(): Promise<number> {
  return listenOnce(0);
}

/** The first port of the kernel's ephemeral range (Linux; its usual value elsewhere). */
function ephemeralStart(): number {
  try {
    const range = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8');
    const low = Number(range.trim().split(/\s+/)[0]);
    if (Number.isSafeInteger(low) && low > 2048) return low;
  } catch {
    // not Linux
  }
  return 32768;
}

/**
 * A free port for a server that a test stops and starts again on the same port. It lies below
 * the ephemeral range: a port from that range can be handed, while the server is down, to any
 * other process's outgoing connection or port-0 listener (test files run side by side), and the
 * restarted server could not bind it, or the test would reach another process.
 */
export async function restartablePort(avoid: number[] = []): Promise<number> {
  const high = ephemeralStart();
  const low = Math.max(1024, high - 12_000);
  for (let attempt = 0; attempt < 100; attempt += 1) {
    const port = low + Math.floor(Math.random() * (high - low));
    if (avoid.includes(port)) continue;
    try {
      return await listenOnce(port);
    } catch {
      // taken: try another
    }
  }
  throw new Error(`no free port between ${low} and ${high}`);
}
