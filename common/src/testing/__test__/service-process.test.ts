import { join } from 'node:path';
import { startServiceProcess, type ServiceProcess } from '../service-process';

const cwd = join(__dirname, 'fixtures', 'pid-service');

describe('startServiceProcess', () => {
  it('hands back the address of the very process it started, even when many start at once', async () => {
    // Before, each took a port found free and probed it: two processes starting at once could be
    // given the same port, and the one that lost it was taken to be ready by the other's answer.
    const started: ServiceProcess[] = await Promise.all(
      Array.from({ length: 6 }, () => startServiceProcess({ cwd, env: {} })),
    );
    try {
      const answers = await Promise.all(
        started.map(async (service) => {
          const res = await fetch(`${service.url}/readyz`);
          return ((await res.json()) as { pid: number }).pid;
        }),
      );
      expect(new Set(started.map((service) => service.url)).size).toBe(started.length);
      expect(new Set(answers).size).toBe(started.length);
    } finally {
      await Promise.all(started.map((service) => service.stop()));
    }
  });

  it('fails with the output of a process that exits before it listens', async () => {
    await expect(
      startServiceProcess({ cwd: join(__dirname, 'fixtures', 'missing'), env: {} }),
    ).rejects.toThrow(/exited with/);
  });
});
