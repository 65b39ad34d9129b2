import { ConfigError, connectEventBus } from '@taskforge/common';
import { testKeys } from '@taskforge/common/testing';
import request from 'supertest';
import { buildApp } from '../app';
import { readConfig } from '../config';
import { openApiDocument } from '../contracts';
import { signIn } from '../test/factories';
import { expectDocumented } from '../test/openapi';
import { setupNotificationsTest, type NotificationsTestContext } from '../test/setup';

let ctx: NotificationsTestContext;

beforeAll(async () => {
  ctx = await setupNotificationsTest();
});
afterAll(() => ctx.close());

describe('notifications app', () => {
  it('serves the OpenAPI document as JSON and as Swagger UI', async () => {
    const json = await request(ctx.app).get('/api/notifications/docs.json').expect(200);
    expect(json.body).toEqual(JSON.parse(JSON.stringify(openApiDocument)));
    const ui = await request(ctx.app).get('/api/notifications/docs/').expect(200);
    expect(ui.text).toContain('swagger-ui');
  });

  it('reports ready when MongoDB, NATS and Redis answer, and not ready without NATS', async () => {
    const res = await request(ctx.app).get('/readyz').expect(200);
    expect(res.body).toEqual({
      status: 'ok',
      checks: { mongo: 'ok', nats: 'ok', redis: 'ok' },
      details: { rateLimits: { mode: 'shared' } },
    });

    const bus = await connectEventBus({ servers: ctx.natsUrl, name: 'closed', logger: ctx.logger });
    await bus.nc.close();
    const app = buildApp({
      config: ctx.config,
      logger: ctx.logger,
      redis: ctx.redis,
      nats: bus.nc,
      inbox: ctx.services.inbox,
      hub: ctx.services.hub,
    });
    const down = await request(app).get('/readyz').expect(503);
    expect(down.body.checks).toEqual({ mongo: 'ok', nats: 'unavailable', redis: 'ok' });
  });

  it('rate-limits the API with 429 in the common shape, as documented', async () => {
    const app = buildApp({
      config: { ...ctx.config, RATE_LIMIT_MAX: 2 },
      logger: ctx.logger,
      redis: ctx.redis,
      nats: ctx.bus.nc,
      redisPrefix: `${ctx.redisPrefix}-limited`,
      inbox: ctx.services.inbox,
      hub: ctx.services.hub,
    });
    const me = signIn();
    for (let i = 0; i < 2; i += 1) {
      await request(app)
        .get('/api/notifications/unread-count')
        .set('Cookie', me.cookie)
        .expect(200);
    }
    const res = await request(app).get('/api/notifications').set('Cookie', me.cookie);
    expect(res.status).toBe(429);
    expectDocumented('get', '/api/notifications', res);
  });

  it('answers unknown routes with 404 in the common shape', async () => {
    const res = await request(ctx.app).get('/api/notifications/a/b/c').expect(404);
    expect(res.body).toEqual({ errors: [{ message: 'Route not found' }] });
  });

  it('documents every route it serves', () => {
    expect(Object.keys(openApiDocument.paths).sort()).toEqual([
      '/api/notifications',
      '/api/notifications/read-all',
      '/api/notifications/stream',
      '/api/notifications/unread-count',
      '/api/notifications/{id}/read',
    ]);
  });
});

describe('config', () => {
  const env = {
    NATS_URL: 'nats://127.0.0.1:4222',
    REDIS_URL: 'redis://127.0.0.1:6379',
    MONGO_URL: 'mongodb://127.0.0.1:27017/n',
    JWT_PUBLIC_KEY: testKeys().publicKey,
  };

  it('needs an SMTP server, named in the error', () => {
    expect(() => readConfig(env)).toThrow(ConfigError);
    expect(() => readConfig(env)).toThrow(/SMTP_URL or SMTP_HOST is required/);
  });

  it('takes SMTP_HOST and SMTP_PORT instead of SMTP_URL, with defaults for the rest', () => {
    const config = readConfig({ ...env, SMTP_HOST: 'mailpit', SMTP_PORT: '1025' });
    expect(config).toMatchObject({
      SMTP_HOST: 'mailpit',
      SMTP_PORT: 1025,
      MAIL_FROM: 'TaskForge <notifications@taskforge.test>',
      SSE_HEARTBEAT_MS: 15_000,
      SSE_MAX_STREAMS_PER_USER: 5,
    });
  });

  it('rejects a bad number with the variable’s name', () => {
    expect(() => readConfig({ ...env, SMTP_URL: 'smtp://x:25', SSE_HEARTBEAT_MS: 'soon' })).toThrow(
      /SSE_HEARTBEAT_MS/,
    );
  });
});
