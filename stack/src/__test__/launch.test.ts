import { createServer, type Server } from 'node:net';
import { freeStackBase, STACK_PORTS } from '../launch';
import { canBind, ephemeralRangeStart } from '../ports';

describe('freeStackBase', () => {
  it('picks a block of ports below the ephemeral range, every one of them free to bind', async () => {
    for (let i = 0; i < 5; i += 1) {
      const base = await freeStackBase();
      expect(base).toBeGreaterThanOrEqual(20_000);
      expect(base + STACK_PORTS - 1).toBeLessThan(ephemeralRangeStart());
      const free = await Promise.all(
        Array.from({ length: STACK_PORTS }, (_, p) => canBind(base + p)),
      );
      expect(free.every(Boolean)).toBe(true);
    }
  });

  it('counts a port that a listener holds as taken', async () => {
    const server: Server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    try {
      expect(await canBind(port)).toBe(false);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
