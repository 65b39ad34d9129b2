import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import express from 'express';
import { createLogger } from '../../logger';
import { startService } from '../start-service';

const logger = createLogger('test', { NODE_ENV: 'test' });

describe('startService shutdown', () => {
  it('ends never-ending responses first, then runs the shutdown steps in order', async () => {
    const steps: string[] = [];
    const open = new Set<express.Response>();
    const app = express();
    app.get('/stream', (_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/event-stream' });
      res.write(': open\n\n');
      open.add(res);
    });
    const handle = await startService({
      app,
      port: 0,
      logger,
      // Without this step the open stream would hold the shutdown until the drain timeout.
      drainTimeoutMs: 60_000,
      onStopAccepting: [
        async () => {
          steps.push('end streams');
          for (const res of open) res.end();
        },
      ],
      onShutdown: [async () => steps.push('consumers'), async () => steps.push('stores')],
    });
    const { port } = handle.server.address() as AddressInfo;
    const res = await fetch(`http://127.0.0.1:${port}/stream`);
    const reader = res.body!.getReader();
    await reader.read();

    await handle.shutdown('test');

    expect(steps).toEqual(['end streams', 'consumers', 'stores']);
    expect((await reader.read()).done).toBe(true);
    expect(handle.server.listening).toBe(false);
  });

  it('runs the remaining steps when one fails', async () => {
    const steps: string[] = [];
    const handle = await startService({
      app: express(),
      port: 0,
      logger,
      onStopAccepting: [
        async () => {
          throw new Error('stream hub already gone');
        },
      ],
      onShutdown: [
        async () => {
          throw new Error('consumer already stopped');
        },
        async () => steps.push('stores'),
      ],
    });
    await handle.shutdown('test');
    expect(steps).toEqual(['stores']);
  });
});

describe('startService address', () => {
  it.each([
    // `::` where the machine has IPv6, else 0.0.0.0
    ['every interface when no host is given', undefined, ['::', '0.0.0.0']],
    ['the host it is given', '127.0.0.1', ['127.0.0.1']],
  ])('listens on %s', async (_name, host, expected) => {
    const handle = await startService({ app: express(), port: 0, host, logger, onShutdown: [] });
    try {
      expect(expected).toContain((handle.server.address() as AddressInfo).address);
    } finally {
      await handle.shutdown('test');
    }
  });

  it('writes the port the kernel picked to the port file, where the server answers', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tf-port-file-'));
    const portFile = join(dir, 'port');
    const app = express().get('/who', (_req, res) => {
      res.send({ me: true });
    });
    const handle = await startService({
      app,
      port: 0,
      host: '127.0.0.1',
      portFile,
      logger,
      onShutdown: [],
    });
    try {
      const port = Number(readFileSync(portFile, 'utf8'));
      expect(port).toBe((handle.server.address() as AddressInfo).port);
      expect(port).toBeGreaterThan(0);
      const res = await fetch(`http://127.0.0.1:${port}/who`);
      expect(await res.json()).toEqual({ me: true });
    } finally {
      await handle.shutdown('test');
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
