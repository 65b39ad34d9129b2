import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { createGateway, type GatewayOptions } from '../gateway';
import type { IngressRoute } from '../ingress';
import { findNginx, startNginxGateway } from '../nginx-gateway';
import { freeServerPort, openPort } from '../ports';
import { stopProcess } from '../processes';

interface Seen {
  url: string;
  host: string | undefined;
  forwardedFor: string | undefined;
  forwardedProto: string | undefined;
}

/** A real upstream that answers with what it received, and streams on /stream. */
async function startUpstream(name: string): Promise<{
  server: Server;
  url: string;
  seen: Seen[];
  finishStream: () => void;
}> {
  const seen: Seen[] = [];
  let release: (() => void) | undefined;
  const server = createServer((req: IncomingMessage, res) => {
    seen.push({
      url: req.url ?? '',
      host: req.headers.host,
      forwardedFor: req.headers['x-forwarded-for'] as string | undefined,
      forwardedProto: req.headers['x-forwarded-proto'] as string | undefined,
    });
    if (req.url?.endsWith('/stream')) {
      res.writeHead(200, { 'Content-Type': 'text/event-stream' });
      res.write('data: first\n\n');
      // The second event is only written once the test has read the first one.
      release = () => res.end('data: last\n\n');
      return;
    }
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify({ service: name, url: req.url }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { server, url: `http://127.0.0.1:${port}`, seen, finishStream: () => release?.() };
}

interface RunningGateway {
  url: string;
  /** Why requests to a service failed, as this gateway reports it. */
  errors: () => string;
  close: () => Promise<void>;
}

async function startNodeGateway(options: GatewayOptions): Promise<RunningGateway> {
  const errors: string[] = [];
  const server = createGateway({
    ...options,
    onError: (_err, service) => errors.push(service),
  }).listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    errors: () => errors.join('\n'),
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

async function startNginx(options: GatewayOptions): Promise<RunningGateway> {
  const nginx = findNginx();
  if (!nginx) throw new Error('nginx is not installed (scripts/infra.sh provision installs it)');
  const dir = mkdtempSync(join(tmpdir(), 'gateway-nginx-'));
  const port = await freeServerPort();
  const proc = startNginxGateway({
    ...options,
    nginx,
    dir,
    port,
    logFile: join(dir, 'nginx.log'),
  });
  await openPort(port, 10_000, proc);
  return {
    url: `http://127.0.0.1:${port}`,
    errors: () => readFileSync(join(dir, 'error.log'), 'utf8'),
    close: async () => {
      await stopProcess(proc);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

describe.each([
  ['the Node.js gateway', startNodeGateway],
  ['the nginx gateway', startNginx],
])('%s', (_name, startGateway) => {
  let auth: Awaited<ReturnType<typeof startUpstream>>;
  let client: Awaited<ReturnType<typeof startUpstream>>;
  const routes: IngressRoute[] = [
    { prefix: '/api/users', service: 'auth', port: 3000 },
    { prefix: '/api/tickets', service: 'tickets', port: 3000 },
    { prefix: '/api/teams', service: 'teams', port: 3000 },
    { prefix: '/', service: 'client', port: 3000 },
  ];
  let gateway: RunningGateway;

  beforeAll(async () => {
    auth = await startUpstream('auth');
    client = await startUpstream('client');
    gateway = await startGateway({
      routes,
      upstream: (service) =>
        ({
          auth: auth.url,
          client: client.url,
          // Configured but nothing listens there: the service crashed.
          tickets: 'http://127.0.0.1:9',
        })[service],
    });
  });

  afterAll(async () => {
    await gateway?.close();
    await Promise.all([auth, client].map((u) => new Promise((r) => u.server.close(r))));
  });

  it('sends a path to the service of its longest matching prefix, unchanged', async () => {
    const res = await request(gateway.url).get('/api/users/currentuser?x=1').expect(200);
    expect(res.body).toEqual({ service: 'auth', url: '/api/users/currentuser?x=1' });
    const exact = await request(gateway.url).get('/api/users').expect(200);
    expect(exact.body).toEqual({ service: 'auth', url: '/api/users' });
    const page = await request(gateway.url).get('/api/userspace').expect(200);
    expect(page.body.service).toBe('client');
  });

  it('keeps the Host header and says who the client is, as ingress-nginx does', async () => {
    await request(gateway.url).get('/api/users/me').set('Host', 'taskforge.test:8080').expect(200);
    const last = auth.seen.at(-1)!;
    expect(last.host).toBe('taskforge.test:8080');
    expect(last.forwardedFor).toMatch(/127\.0\.0\.1/);
    expect(last.forwardedProto).toBe('http');
  });

  it('reuses its connections to a service instead of opening one per request', async () => {
    let connections = 0;
    const count = () => {
      connections += 1;
    };
    auth.server.on('connection', count);
    try {
      // Two in flight at a time, twenty in all: the gateway keeps what it opened.
      for (let i = 0; i < 10; i += 1) {
        const replies = await Promise.all([
          request(gateway.url).get(`/api/users/reuse-${i}-a`),
          request(gateway.url).get(`/api/users/reuse-${i}-b`),
        ]);
        expect(replies.map((r) => r.status)).toEqual([200, 200]);
      }
      expect(connections).toBeGreaterThan(0);
      expect(connections).toBeLessThanOrEqual(2);
    } finally {
      auth.server.off('connection', count);
    }
  });

  it('answers 503 in the error shape for a service this stack does not run', async () => {
    const res = await request(gateway.url).get('/api/teams').expect(503);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.body).toEqual({
      errors: [{ message: 'The teams service is not running in this stack' }],
    });
  });

  it('answers 502 in the error shape when the service does not answer', async () => {
    const res = await request(gateway.url).get('/api/tickets/1').expect(502);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.body.errors[0].message).toBe('The tickets service is not reachable');
    expect(gateway.errors()).toMatch(/tickets|127\.0\.0\.1:9/);
  });

  it('streams a response as it is written, so Server-Sent Events arrive live', async () => {
    const res = await fetch(`${gateway.url}/api/users/stream`);
    const reader = res.body!.getReader();
    const first = new TextDecoder().decode((await reader.read()).value);
    expect(first).toBe('data: first\n\n');
    // The upstream has not finished: the first event came through before the end.
    auth.finishStream();
    let rest = '';
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
      rest += new TextDecoder().decode(chunk.value);
    }
    expect(rest).toBe('data: last\n\n');
  });
});
