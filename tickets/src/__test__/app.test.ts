import { ConfigError, connectEventBus } from '@taskforge/common';
import request from 'supertest';
import { buildApp } from '../app';
import { readConfig } from '../config';
import { openApiDocument } from '../contracts';
import { buildTicketInput, signIn } from '../test/factories';
import { expectDocumented } from '../test/openapi';
import { setupTicketsTest, type TicketsTestContext } from '../test/setup';

let ctx: TicketsTestContext;

beforeAll(async () => {
  ctx = await setupTicketsTest();
});
beforeEach(() => ctx.reset());
afterAll(() => ctx.close());

describe('tickets app', () => {
  it('serves the OpenAPI document as JSON and as Swagger UI', async () => {
    const json = await request(ctx.app).get('/api/tickets/docs.json').expect(200);
    expect(json.body).toEqual(JSON.parse(JSON.stringify(openApiDocument)));
    expect(json.body.openapi).toBe('3.1.0');

    const ui = await request(ctx.app).get('/api/tickets/docs/').expect(200);
    expect(ui.text).toContain('swagger-ui');
  });

  it('reports ready when MongoDB, NATS and Redis answer', async () => {
    const res = await request(ctx.app).get('/readyz').expect(200);
    expect(res.body).toEqual({
      status: 'ok',
      checks: { mongo: 'ok', nats: 'ok', redis: 'ok' },
      details: { rateLimits: { mode: 'shared' } },
    });
    await request(ctx.app).get('/healthz').expect(200);
  });

  it('reports not ready (503) when its NATS connection is closed', async () => {
    const bus = await connectEventBus({ servers: ctx.natsUrl, name: 'closed', logger: ctx.logger });
    await bus.nc.close();
    const app = buildApp({
      config: ctx.config,
      logger: ctx.logger,
      redis: ctx.redis,
      nats: bus.nc,
    });
    const res = await request(app).get('/readyz').expect(503);
    expect(res.body.checks).toEqual({ mongo: 'ok', nats: 'unavailable', redis: 'ok' });
  });

  it('rate-limits the API with 429 in the common shape, as documented', async () => {
    const app = ctx.buildApp({ env: { RATE_LIMIT_MAX: '3' } });
    for (let i = 0; i < 3; i += 1) await request(app).get('/api/tickets').expect(200);

    const list = await request(app).get('/api/tickets');
    expect(list.status).toBe(429);
    expectDocumented('get', '/api/tickets', list);
    expect(Number(list.headers['retry-after'])).toBeGreaterThan(0);

    // A signed-in user is counted apart from the address, on every route.
    const { cookie } = signIn();
    for (let i = 0; i < 3; i += 1) {
      await request(app).get('/api/tickets').set('Cookie', cookie).expect(200);
    }
    const create = await request(app)
      .post('/api/tickets')
      .set('Cookie', cookie)
      .send(buildTicketInput());
    expect(create.status).toBe(429);
    expectDocumented('post', '/api/tickets', create);
  });

  it('answers unknown routes with 404 in the common shape', async () => {
    const res = await request(ctx.app).get('/api/tickets/a/b').expect(404);
    expect(res.body).toEqual({ errors: [{ message: 'Route not found' }] });
  });
});

describe('readConfig', () => {
  it('names MONGO_URL when it is missing', () => {
    const env = { ...process.env, NATS_URL: 'nats://x', MONGO_URL: undefined };
    expect(() => readConfig(env)).toThrow(ConfigError);
    expect(() => readConfig(env)).toThrow(/MONGO_URL is required/);
  });

  it('reads the rate limit settings', () => {
    const config = readConfig({
      ...process.env,
      MONGO_URL: 'mongodb://db/tickets',
      NATS_URL: 'nats://x',
      RATE_LIMIT_WINDOW_MS: '1000',
      RATE_LIMIT_MAX: '7',
    });
    expect(config).toMatchObject({ RATE_LIMIT_WINDOW_MS: 1000, RATE_LIMIT_MAX: 7 });
  });
});
