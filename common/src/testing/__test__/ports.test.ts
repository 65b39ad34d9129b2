import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { restartablePort } from '../ports';

const ephemeralStart = Number(
  readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0],
);

describe('restartablePort', () => {
  it('gives free ports below the ephemeral range, never one it is told to avoid', async () => {
    const first = await restartablePort();
    const ports = await Promise.all(Array.from({ length: 20 }, () => restartablePort([first])));
    for (const port of [first, ...ports]) {
      expect(port).toBeLessThan(ephemeralStart);
      expect(port).toBeGreaterThanOrEqual(1024);
    }
    expect(ports).not.toContain(first);
    // Free: it can be listened on.
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(first, '127.0.0.1', () => resolve());
    });
    await new Promise((resolve) => server.close(resolve));
  });
});
