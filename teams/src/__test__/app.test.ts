import { ConfigError, connectEventBus } from '@taskforge/common';
import { Pool } from 'pg';
import request from 'supertest';
import { buildApp } from '../app';
import { readConfig, readDatabaseConfig } from '../config';
import { openApiDocument } from '../contracts/index';
import { directoryUser } from '../test/factories';
import { expectDocumented } from '../test/openapi';
import { setupTeamsTest, type TeamsTestContext } from '../test/setup';

let ctx: TeamsTestContext;

beforeAll(async () => {
  ctx = await setupTeamsTest();
});
beforeEach(() => ctx.reset());
afterAll(() => ctx.close());

describe('teams app', () => {
  it('serves the OpenAPI document as JSON and as Swagger UI', async () => {
    const json = await request(ctx.app).get('/api/teams/docs.json').expect(200);
    expect(json.body).toEqual(JSON.parse(JSON.stringify(openApiDocument)));
    const ui = await request(ctx.app).get('/api/teams/docs/').expect(200);
    expect(ui.text).toContain('swagger-ui');
  });

  it('reports ready when PostgreSQL, NATS and Redis answer', async () => {
    const res = await request(ctx.app).get('/readyz').expect(200);
    expect(res.body).toEqual({
      status: 'ok',
      checks: { postgres: 'ok', nats: 'ok', redis: 'ok' },
      details: { rateLimits: { mode: 'shared' } },
    });
  });

  it('reports not ready (503) when its NATS connection is closed', async () => {
    const bus = await connectEventBus({ servers: ctx.natsUrl, name: 'closed', logger: ctx.logger });
    await bus.nc.close();
    const app = buildApp({
      config: ctx.config,
      logger: ctx.logger,
      redis: ctx.redis,
      nats: bus.nc,
      pool: ctx.pool,
    });
    const res = await request(app).get('/readyz').expect(503);
    expect(res.body.checks).toEqual({ postgres: 'ok', nats: 'unavailable', redis: 'ok' });
  });

  it('rate-limits the API with 429 in the common shape, as documented', async () => {
    const app = ctx.buildApp({ env: { RATE_LIMIT_MAX: '2' } });
    const user = await directoryUser(ctx.pool);
    for (let i = 0; i < 2; i += 1) {
      await request(app).get('/api/teams').set('Cookie', user.cookie).expect(200);
    }
    const list = await request(app).get('/api/teams').set('Cookie', user.cookie);
    expect(list.status).toBe(429);
    expectDocumented('get', '/api/teams', list);
    expect(Number(list.headers['retry-after'])).toBeGreaterThan(0);

    const create = await request(app)
      .post('/api/teams')
      .set('Cookie', user.cookie)
      .send({ name: 'x' });
    expect(create.status).toBe(429);
    expectDocumented('post', '/api/teams', create);
  });

  it('answers unknown routes with 404 in the common shape', async () => {
    const res = await request(ctx.app).get('/api/teams/a/b/c/d').expect(404);
    expect(res.body).toEqual({ errors: [{ message: 'Route not found' }] });
  });

  it('answers 503 without details when the database cannot be reached', async () => {
    const user = await directoryUser(ctx.pool);
    const broken = new Pool({ connectionString: 'postgres://nobody@127.0.0.1:1/none' });
    const app = buildApp({
      config: ctx.config,
      logger: ctx.logger,
      redis: ctx.redis,
      nats: ctx.bus.nc,
      pool: broken,
    });
    const res = await request(app).get('/api/teams').set('Cookie', user.cookie);
    expect(res.status).toBe(503);
    expect(res.body).toEqual({ errors: [{ message: 'Service temporarily unavailable' }] });
    await broken.end();
  });
});

describe('readConfig', () => {
  it('names DATABASE_URL when it is missing', () => {
    const env = { ...process.env, NATS_URL: 'nats://x', DATABASE_URL: undefined };
    expect(() => readConfig(env)).toThrow(ConfigError);
    expect(() => readConfig(env)).toThrow(/DATABASE_URL is required/);
  });

  it('lets the migrate and seed commands run with the database alone', () => {
    expect(readDatabaseConfig({ DATABASE_URL: 'postgres://models/teams' })).toEqual({
      NODE_ENV: 'development',
      DATABASE_URL: 'postgres://models/teams',
    });
    expect(() => readDatabaseConfig({})).toThrow(/DATABASE_URL is required/);
  });
});
