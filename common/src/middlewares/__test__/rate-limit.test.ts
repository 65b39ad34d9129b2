import { randomBytes } from 'node:crypto';
import { Router } from 'express';
import { Redis } from 'ioredis';
import pino from 'pino';
import request from 'supertest';
import { createApp } from '../../http/create-app';
import { sessionCookie, signinCookie, testKeys } from '../../testing';
import { createRateLimiter } from '../rate-limit';

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
