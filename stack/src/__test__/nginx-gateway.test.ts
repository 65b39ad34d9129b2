import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readIngressRoutes } from '../ingress';
import { findNginx, nginxConfig, startNginxGateway } from '../nginx-gateway';
import { freeServerPort, openPort } from '../ports';
import { stopProcess, type RunningProcess } from '../processes';

const manifest = join(__dirname, '..', '..', '..', 'infra', 'k8s', 'base', 'ingress.yaml');
const routes = readIngressRoutes(manifest);

/** The lines of the `location` block for `path` in a generated config. */
function locationBlock(config: string, path: string): string {
  const start = config.indexOf(`location ${path} {`);
  if (start < 0) throw new Error(`no location ${path}`);
  return config.slice(start, config.indexOf('}', start));
}

describe('the nginx gateway config', () => {
  const config = nginxConfig({
    nginx: 'nginx',
    dir: '/tmp/x',
    port: 8080,
    routes,
    upstream: (service) =>
      `http://127.0.0.1:${8081 + routes.findIndex((r) => r.service === service)}`,
  });

  it('applies the annotations of the suite ingress where it sets them', () => {
    const live = locationBlock(config, '/api/notifications/');
    expect(live).toContain('proxy_buffering off;');
    expect(live).toContain('proxy_read_timeout 3600s;');
    const uploads = locationBlock(config, '/taskforge-attachments/');
    expect(uploads).toContain('client_max_body_size 26m;');
    expect(uploads).toContain('proxy_request_buffering off;');
  });

  it("keeps ingress-nginx's defaults elsewhere", () => {
    const api = locationBlock(config, '/api/tasks/');
    expect(api).toContain('client_max_body_size 1m;');
    expect(api).toContain('proxy_read_timeout 60s;');
    expect(api).toContain('proxy_request_buffering on;');
  });

  it('refuses an annotation it would not apply, instead of routing differently', () => {
    expect(() =>
      nginxConfig({
        nginx: 'nginx',
        dir: '/tmp/x',
        port: 8080,
        routes: [
          {
            prefix: '/api/x',
            service: 'x',
            port: 3000,
            annotations: { 'rewrite-target': '/' },
          },
        ],
        upstream: () => 'http://127.0.0.1:3000',
      }),
    ).toThrow(/rewrite-target/);
  });
});

describe('the nginx gateway in front of the suite ingress', () => {
  let upstream: Server;
  let gateway: RunningProcess;
  let url: string;
  let dir: string;
  const received: Array<{ url: string; bytes: number }> = [];

  beforeAll(async () => {
    const nginx = findNginx();
    if (!nginx) throw new Error('nginx is not installed (scripts/infra.sh provision installs it)');
    upstream = createServer((req, res) => {
      let bytes = 0;
      req.on('data', (chunk: Buffer) => (bytes += chunk.length));
      req.on('end', () => {
        received.push({ url: req.url ?? '', bytes });
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ bytes }));
      });
    });
    await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
    const upstreamUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
    dir = mkdtempSync(join(tmpdir(), 'nginx-gateway-'));
    const port = await freeServerPort();
    gateway = startNginxGateway({
      nginx,
      dir,
      port,
      routes,
      upstream: () => upstreamUrl,
      logFile: join(dir, 'nginx.log'),
    });
    await openPort(port, 10_000, gateway);
    url = `http://127.0.0.1:${port}`;
  });

  afterAll(async () => {
    if (gateway) await stopProcess(gateway);
    await new Promise((resolve) => upstream?.close(resolve));
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const body = Buffer.alloc(2 * 1024 * 1024, 1);

  it('refuses an API body over 1 MiB, as ingress-nginx does, and never passes it on', async () => {
    const res = await fetch(`${url}/api/tasks/x`, { method: 'PATCH', body });
    expect(res.status).toBe(413);
    expect(received.some((r) => r.url === '/api/tasks/x')).toBe(false);
  });

  it('passes an upload over 1 MiB to the attachment bucket whole', async () => {
    const res = await fetch(`${url}/taskforge-attachments/a/b`, { method: 'PUT', body });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ bytes: body.length });
  });
});
