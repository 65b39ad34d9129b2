import { ConfigError } from '@taskforge/common';
import request from 'supertest';
import { readConfig } from '../config';
import { openApiDocument } from '../contracts';
import { AttachmentStorage } from '../services/storage';
import { createTask, createTeam } from '../test/factories';
import { expectDocumented } from '../test/openapi';
import { setupTasksTest, type TasksTestContext } from '../test/setup';
import { buildApp } from '../app';

let ctx: TasksTestContext;

beforeAll(async () => {
  ctx = await setupTasksTest({ relay: false });
});
beforeEach(() => ctx.reset());
afterAll(() => ctx.close());

describe('tasks app', () => {
  it('serves the OpenAPI document as JSON and as Swagger UI', async () => {
    const json = await request(ctx.app).get('/api/tasks/docs.json').expect(200);
    expect(json.body).toEqual(JSON.parse(JSON.stringify(openApiDocument)));
    const ui = await request(ctx.app).get('/api/tasks/docs/').expect(200);
    expect(ui.text).toContain('swagger-ui');
  });

  it('reports ready when MongoDB, NATS, Redis and object storage answer', async () => {
    const res = await request(ctx.app).get('/readyz').expect(200);
    expect(res.body).toEqual({
      status: 'ok',
      checks: { mongo: 'ok', nats: 'ok', redis: 'ok', storage: 'ok' },
      details: { rateLimits: { mode: 'shared' } },
    });
  });

  it('reports not ready (503) while its bucket does not exist', async () => {
    const config = { ...ctx.config, S3_BUCKET: 'tasks-missing-bucket' };
    const app = buildApp({
      config,
      logger: ctx.logger,
      redis: ctx.redis,
      nats: ctx.bus.nc,
      redisPrefix: ctx.redisPrefix,
      storage: new AttachmentStorage(config),
    });
    const res = await request(app).get('/readyz').expect(503);
    expect(res.body.checks).toMatchObject({ storage: 'unavailable', mongo: 'ok' });
  });

  it('rate-limits the API with 429 in the common shape, as documented', async () => {
    const team = await createTeam();
    const task = await createTask(ctx.app, team);
    // Counters of its own: the requests that set the test up do not count.
    const app = buildApp({
      config: { ...ctx.config, RATE_LIMIT_MAX: 2 },
      logger: ctx.logger,
      redis: ctx.redis,
      nats: ctx.bus.nc,
      redisPrefix: `${ctx.redisPrefix}-limited`,
      storage: ctx.storage,
    });
    const show = () => request(app).get(`/api/tasks/${task.id}`).set('Cookie', team.member.cookie);
    await show().expect(200);
    await show().expect(200);
    const limited = await show();
    expect(limited.status).toBe(429);
    expectDocumented('get', '/api/tasks/{id}', limited);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('answers unknown routes with 404 in the common shape', async () => {
    const res = await request(ctx.app).get('/api/tasks/a/b/c').expect(404);
    expect(res.body).toEqual({ errors: [{ message: 'Route not found' }] });
  });

  it('signs URLs for the public endpoint while talking to the internal one', async () => {
    const storage = new AttachmentStorage({
      ...ctx.config,
      S3_PUBLIC_ENDPOINT: 'https://files.taskforge.test',
    });
    const url = new URL(await storage.uploadUrl('k', 'text/plain', 1, 60));
    expect(url.origin).toBe('https://files.taskforge.test');
    expect(url.pathname).toBe(`/${ctx.config.S3_BUCKET}/k`);
  });
});

describe('readConfig', () => {
  // A function: the JWT test key is put in the environment by the setup, after collection.
  const base = () => ({
    ...process.env,
    MONGO_URL: 'mongodb://db/tasks',
    NATS_URL: 'nats://x',
    S3_ENDPOINT: 'http://s3.internal:9000',
    S3_ACCESS_KEY: 'key',
    S3_SECRET_KEY: 'secret',
  });

  it('names every missing storage variable', () => {
    const env = { ...base(), S3_ENDPOINT: undefined, S3_ACCESS_KEY: undefined };
    expect(() => readConfig(env)).toThrow(ConfigError);
    expect(() => readConfig(env)).toThrow(/S3_ENDPOINT is required; S3_ACCESS_KEY is required/);
  });

  it('defaults the public endpoint to the internal one, path-style and the bucket name', () => {
    const config = readConfig({
      ...base(),
      S3_PUBLIC_ENDPOINT: undefined,
      S3_BUCKET: undefined,
      S3_FORCE_PATH_STYLE: undefined,
    });
    expect(config).toMatchObject({
      S3_PUBLIC_ENDPOINT: 'http://s3.internal:9000',
      S3_FORCE_PATH_STYLE: true,
      S3_BUCKET: 'taskforge-attachments',
      TASK_CACHE_TTL_SECONDS: 300,
      STATS_CACHE_TTL_SECONDS: 600,
    });
    expect(readConfig({ ...base(), S3_FORCE_PATH_STYLE: 'false' }).S3_FORCE_PATH_STYLE).toBe(false);
  });

  it('refuses a malformed bucket name', () => {
    expect(() => readConfig({ ...base(), S3_BUCKET: 'Not_A_Bucket' })).toThrow(
      /S3_BUCKET must be a valid bucket name/,
    );
  });
});
