import request from 'supertest';
import { openApiDocument } from '../contracts';
import { expectDocumented } from '../test/openapi';
import { newRedisClient, setupAuthTest, type AuthTestContext } from '../test/setup';

let ctx: AuthTestContext;

beforeAll(async () => {
  ctx = await setupAuthTest();
});
beforeEach(() => ctx.reset());
afterAll(() => ctx.close());

describe('probes and metrics', () => {
  it('answers /healthz', async () => {
    await request(ctx.app).get('/healthz').expect(200, { status: 'ok' });
  });

  it('is ready when mongo, nats and redis answer', async () => {
    const res = await request(ctx.app).get('/readyz');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      status: 'ok',
      checks: { mongo: 'ok', nats: 'ok', redis: 'ok' },
      details: { rateLimits: { mode: 'shared' } },
    });
  });

  it('is not ready when redis is disconnected', async () => {
    const redis = newRedisClient();
    const app = ctx.buildApp({ redis });
    // Commands run in order: once this answers, the limiters' script loading has finished.
    await redis.ping();
    await redis.quit();

    const res = await request(app).get('/readyz');

    expect(res.status).toBe(503);
    expect(res.body).toEqual({
      status: 'unavailable',
      checks: { mongo: 'ok', nats: 'ok', redis: 'unavailable' },
      // Each process counts alone while Redis is unreachable.
      details: { rateLimits: { mode: 'per-process' } },
    });
  });

  it('exposes Prometheus metrics labelled by route template', async () => {
    await request(ctx.app).get('/api/users/0123456789abcdef01234567').expect(404);
    const res = await request(ctx.app).get('/metrics');
    expect(res.status).toBe(200);
    expect(res.text).toContain('route="/api/users/:id"');
  });
});

describe('OpenAPI document', () => {
  it('is served as JSON and as Swagger UI', async () => {
    const json = await request(ctx.app).get('/api/users/docs.json').expect(200);
    expect(json.body).toEqual(JSON.parse(JSON.stringify(openApiDocument)));
    const ui = await request(ctx.app).get('/api/users/docs/').expect(200);
    expect(ui.text).toContain('swagger-ui');
  });

  it('answers the common 404 for an unknown route', async () => {
    const res = await request(ctx.app).get('/api/users/me/unknown');
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ errors: [{ message: 'Route not found' }] });
  });
});

describe('API-wide rate limit', () => {
  it('answers 429 in the common shape past RATE_LIMIT_MAX requests per window', async () => {
    const app = ctx.buildApp({ env: { RATE_LIMIT_MAX: '3' } });
    for (let i = 0; i < 3; i += 1) {
      await request(app).get('/api/users/currentuser').expect(200);
    }

    const res = await request(app).get('/api/users/currentuser');

    expect(res.status).toBe(429);
    expectDocumented('get', '/api/users/currentuser', res);
    expect(res.get('RateLimit-Limit')).toBe('3');
    expect(Number(res.get('Retry-After'))).toBeGreaterThan(0);
    // Probes are outside /api and never limited.
    await request(app).get('/healthz').expect(200);
  });
});
