import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { connect } from 'node:net';
import { Router } from 'express';
import { Redis } from 'ioredis';
import pino from 'pino';
import request from 'supertest';
import { createApp } from '../../http/create-app';
import { restartablePort, sessionCookie, signinCookie, testKeys, waitFor } from '../../testing';
import { createRateLimiter, rateLimitMode } from '../rate-limit';

const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', { lazyConnect: true });

beforeAll(() => redis.connect());
afterAll(() => redis.quit());

function appWithLimit(limit: number) {
  const router = Router();
  router.get('/api/ping', (_req, res) => {
    res.send({ pong: true });
  });
  return createApp({
    service: 'rate-limit-test',
    logger: pino({ level: 'silent' }),
    jwtPublicKey: testKeys().publicKey,
    cookieSecure: false,
    rateLimiter: createRateLimiter({
      redis,
      prefix: `test-${randomBytes(4).toString('hex')}`,
      windowMs: 60_000,
      limit,
    }),
    routers: [router],
  });
}

describe('createRateLimiter', () => {
  it('answers 429 in the JSON shape with Retry-After and RateLimit headers once over the limit', async () => {
    const app = appWithLimit(3);
    for (let i = 0; i < 3; i += 1) {
      const ok = await request(app).get('/api/ping');
      expect(ok.status).toBe(200);
      expect(ok.headers['ratelimit-remaining']).toBe(String(2 - i));
    }
    const res = await request(app).get('/api/ping');
    expect(res.status).toBe(429);
    expect(res.body).toEqual({
      errors: [{ message: 'Too many requests, please try again later' }],
    });
    expect(res.headers['ratelimit-limit']).toBe('3');
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('shares counters between two instances of the service through Redis', async () => {
    const prefix = `shared-${randomBytes(4).toString('hex')}`;
    const build = () => {
      const router = Router();
      router.get('/api/ping', (_req, res) => {
        res.send({});
      });
      return createApp({
        service: 'rate-limit-test',
        logger: pino({ level: 'silent' }),
        jwtPublicKey: testKeys().publicKey,
        cookieSecure: false,
        rateLimiter: createRateLimiter({ redis, prefix, windowMs: 60_000, limit: 2 }),
        routers: [router],
      });
    };
    const [a, b] = [build(), build()];
    expect((await request(a).get('/api/ping')).status).toBe(200);
    expect((await request(b).get('/api/ping')).status).toBe(200);
    expect((await request(a).get('/api/ping')).status).toBe(429);
  });

  it('counts signed-in users apart, even from one address, and signed-out callers per address', async () => {
    // The client's server renders for every browser from one address: each user has a bucket.
    const app = appWithLimit(2);
    const alice = signinCookie().cookie;
    const bob = signinCookie().cookie;
    const from = (cookie?: string) => {
      const req = request(app).get('/api/ping').set('X-Forwarded-For', '198.51.100.7');
      return cookie ? req.set('Cookie', cookie) : req;
    };
    expect([(await from(alice)).status, (await from(alice)).status]).toEqual([200, 200]);
    expect((await from(alice)).status).toBe(429);
    expect((await from(bob)).status).toBe(200);
    expect((await from()).status).toBe(200);
    // A token that does not verify is no user: it counts against the address.
    const forged = sessionCookie('not.a.token');
    expect((await from(forged)).status).toBe(200);
    const limited = await from();
    expect(limited.status).toBe(429);
    expect(limited.headers['ratelimit-remaining']).toBe('0');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    // Another address signed out still has its own bucket.
    expect(
      (await request(app).get('/api/ping').set('X-Forwarded-For', '198.51.100.8')).status,
    ).toBe(200);
  });

  it('does not limit health probes', async () => {
    const app = appWithLimit(1);
    for (let i = 0; i < 3; i += 1) expect((await request(app).get('/healthz')).status).toBe(200);
  });
});

/** Whether something accepts connections on the port. */
function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

describe('createRateLimiter while Redis is down', () => {
  // A Redis server of this test's own, so stopping it leaves every other suite's alone.
  let server: ChildProcess | undefined;
  let port = 0;
  let client: Redis;

  async function startRedis(): Promise<void> {
    server = spawn(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      { stdio: 'ignore' },
    );
    await waitFor(() => listening(port));
  }

  async function stopRedis(): Promise<void> {
    const running = server;
    server = undefined;
    if (!running || running.exitCode !== null) return;
    const exited = once(running, 'exit');
    running.kill('SIGKILL');
    await exited;
  }

  beforeAll(async () => {
    port = await restartablePort();
    await startRedis();
    client = new Redis(`redis://127.0.0.1:${port}`, { maxRetriesPerRequest: 1 });
    client.on('error', () => undefined);
    await waitFor(() => client.status === 'ready');
  });

  afterAll(async () => {
    client.disconnect();
    await stopRedis();
  });

  function guardedApp() {
    const router = Router();
    router.post('/api/signin', (_req, res) => {
      res.status(400).send({ errors: [{ message: 'Invalid credentials' }] });
    });
    const fallbacks: Error[] = [];
    const app = createApp({
      service: 'rate-limit-test',
      logger: pino({ level: 'silent' }),
      jwtPublicKey: testKeys().publicKey,
      cookieSecure: false,
      readiness: { redis: () => client.ping() },
      readinessDetails: () => ({ rateLimits: rateLimitMode(client) }),
      rateLimiter: createRateLimiter({
        redis: client,
        prefix: `down-${randomBytes(4).toString('hex')}`,
        windowMs: 60_000,
        limit: 3,
        skipSuccessfulRequests: true,
        onFallback: (err) => fallbacks.push(err),
      }),
      routers: [router],
    });
    return { app, fallbacks };
  }

  it('keeps limiting in the process, says so in /readyz, and counts in Redis again once it is back', async () => {
    const { app, fallbacks } = guardedApp();
    const signin = () => request(app).post('/api/signin').send({});
    expect((await signin()).status).toBe(400);
    const shared = await request(app).get('/readyz');
    expect(shared.status).toBe(200);
    expect(shared.body.details).toEqual({ rateLimits: { mode: 'shared' } });

    await stopRedis();
    await waitFor(() => client.status !== 'ready');
    // Three failures allowed in all: the one counted in Redis is not known here, so three more.
    const statuses = [];
    for (let i = 0; i < 4; i += 1) statuses.push((await signin()).status);
    expect(statuses).toEqual([400, 400, 400, 429]);
    const limited = await signin();
    expect(limited.status).toBe(429);
    expect(limited.body).toEqual({
      errors: [{ message: 'Too many requests, please try again later' }],
    });
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(fallbacks).toHaveLength(1);
    const down = await request(app).get('/readyz');
    expect(down.status).toBe(503);
    expect(down.body.checks).toEqual({ redis: 'unavailable' });
    expect(down.body.details.rateLimits.mode).toBe('per-process');
    expect(Date.parse(down.body.details.rateLimits.since)).not.toBeNaN();

    // Redis back (empty: it kept nothing): counting is shared again, from zero.
    await startRedis();
    await waitFor(() => client.status === 'ready', { timeoutMs: 30_000 });
    expect((await signin()).status).toBe(400);
    const back = await request(app).get('/readyz');
    expect(back.status).toBe(200);
    expect(back.body.details).toEqual({ rateLimits: { mode: 'shared' } });
    expect(await client.keys('rl:down-*')).toHaveLength(1);
  });
});
