import { Router, type Request, type Response } from 'express';
import jwt from 'jsonwebtoken';
import mongoose from 'mongoose';
import pino from 'pino';
import request from 'supertest';
import {
  BadRequestError,
  ConflictError,
  DatabaseConnectionError,
  ForbiddenError,
  NotAuthorizedError,
  NotFoundError,
  TooManyRequestsError,
} from '../../errors';
import { requireAuth } from '../../middlewares/require-auth';
import { generateJwtKeys, sessionCookie, signinCookie, testKeys } from '../../testing';
import { z } from 'zod';
import { handle, route } from '../contract';
import { createApp } from '../create-app';

const keys = testKeys();
const logged: Array<Record<string, unknown>> = [];
const logger = pino(
  { level: 'error' },
  { write: (line: string) => logged.push(JSON.parse(line) as Record<string, unknown>) },
);

const Thing = mongoose.model('CreateAppThing', new mongoose.Schema({ name: String }));
const createThing = route({
  method: 'post',
  path: '/api/things',
  tags: ['things'],
  summary: 'Make a thing',
  signedIn: true,
  body: z.object({
    name: z.string({ error: 'Name is required' }).trim().min(1, 'Name is required'),
    size: z
      .int({ error: 'Size must be a positive integer' })
      .min(1, 'Size must be a positive integer'),
  }),
  responses: { 201: { description: 'Made' } },
});

function buildApp(ready = true) {
  const router = Router();
  router.get('/api/things/boom', () => {
    throw new Error('secret internal detail at /srv/db');
  });
  router.get('/api/things/async-boom', async () => {
    await Promise.resolve();
    throw new Error('async secret');
  });
  const known = {
    'bad-request': new BadRequestError('Bad thing', 'thing'),
    unauthorized: new NotAuthorizedError(),
    forbidden: new ForbiddenError(),
    'not-found': new NotFoundError(),
    conflict: new ConflictError('Already there'),
    'too-many': new TooManyRequestsError(),
    'db-down': new DatabaseConnectionError(),
  };
  // What the MongoDB driver throws when FerretDB is up but the PostgreSQL under it is not
  // (resilience/ takes a real one away), and an internal error that is nothing of the kind.
  const storeErrors = {
    'backend-down': 'failed to connect to `user=postgres database=postgres`: dial error',
    'backend-stopping': 'terminating connection due to administrator command',
    deadlock: 'deadlock detected',
    'other-internal': 'invalid document',
  };
  router.get('/api/things/store/:kind', (req) => {
    throw Object.assign(new Error(storeErrors[req.params.kind as keyof typeof storeErrors]), {
      name: 'MongoServerError',
      code: 1,
    });
  });
  router.get('/api/things/known/:kind', (req) => {
    throw known[req.params.kind as keyof typeof known];
  });
  router.get('/api/things/:id', async (req, res) => {
    res.send(await Thing.findById(req.params.id));
  });
  router.post(
    createThing.path,
    requireAuth,
    handle(createThing, ({ body: { name } }, req: Request, res: Response) => {
      res.status(201).send({ name, owner: req.currentUser?.id });
    }),
  );
  router.patch('/api/things/fields', (req, res) => {
    const { name } = req.body as { name?: string };
    res.send({ name: name ?? null, fields: Object.keys(req.body as object) });
  });
  router.get('/api/me', (req, res) => {
    res.send({ currentUser: req.currentUser ?? null });
  });
  return createApp({
    service: 'test',
    logger,
    jwtPublicKey: keys.publicKey,
    cookieSecure: false,
    bodyLimit: '1kb',
    readiness: { db: async () => (ready ? 'ok' : Promise.reject(new Error('down'))) },
    docs: {
      path: '/api/things/docs',
      document: { openapi: '3.1.0', info: { title: 't', version: '1' }, paths: {} },
    },
    routers: [router],
  });
}

const app = buildApp();

describe('error handling', () => {
  it.each([
    ['bad-request', 400, [{ message: 'Bad thing', field: 'thing' }]],
    ['unauthorized', 401, [{ message: 'Not authorized' }]],
    ['forbidden', 403, [{ message: 'Forbidden' }]],
    ['not-found', 404, [{ message: 'Not found' }]],
    ['conflict', 409, [{ message: 'Already there' }]],
    ['too-many', 429, [{ message: 'Too many requests, please try again later' }]],
    ['db-down', 503, [{ message: 'Service temporarily unavailable' }]],
  ])('answers %s with %i in the common shape', async (kind, status, errors) => {
    const res = await request(app).get(`/api/things/known/${kind}`);
    expect(res.status).toBe(status);
    expect(res.body).toEqual({ errors });
  });

  it('turns an unexpected error into a generic 500 and logs it with the request id', async () => {
    const res = await request(app).get('/api/things/boom').set('X-Request-Id', 'req-123');
    expect(res.status).toBe(500);
    expect(res.body).toEqual({ errors: [{ message: 'Something went wrong' }] });
    expect(JSON.stringify(res.body)).not.toContain('secret');
    expect(res.headers['x-request-id']).toBe('req-123');
    expect(logged.some((l) => l.requestId === 'req-123' && l.msg === 'unhandled error')).toBe(true);
  });

  it.each(['backend-down', 'backend-stopping', 'deadlock'])(
    'answers 503 when the store cannot reach its own database or broke a deadlock (%s)',
    async (kind) => {
      const res = await request(app).get(`/api/things/store/${kind}`);
      expect(res.status).toBe(503);
      expect(res.body).toEqual({ errors: [{ message: 'Service temporarily unavailable' }] });
    },
  );

  it('answers any other internal error of the store with 500', async () => {
    const res = await request(app).get('/api/things/store/other-internal');
    expect(res.status).toBe(500);
  });

  it('catches rejected promises from async handlers', async () => {
    const res = await request(app).get('/api/things/async-boom');
    expect(res.status).toBe(500);
    expect(JSON.stringify(res.body)).not.toContain('async secret');
  });

  it('answers a malformed JSON body with 400, not 500', async () => {
    const res = await request(app)
      .post('/api/things')
      .set('Content-Type', 'application/json')
      .send('{"name": ');
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ errors: [{ message: 'Malformed JSON body' }] });
  });

  it('answers a JSON array body with 400: every body is an object', async () => {
    const { cookie } = signinCookie();
    const res = await request(app)
      .post('/api/things')
      .set('Cookie', cookie)
      .set('Content-Type', 'application/json')
      .send('[{"name":"a","size":1}]');
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ errors: [{ message: 'The body must be a JSON object' }] });
  });

  it('gives a request without a body an empty object, so each field is reported missing', async () => {
    // A PATCH with no body and no Content-Type crashed a route that destructured req.body
    // (found by Schemathesis).
    const bare = await request(app).patch('/api/things/fields');
    expect(bare.status).toBe(200);
    expect(bare.body).toEqual({ name: null, fields: [] });
    const { cookie } = signinCookie();
    const res = await request(app).post('/api/things').set('Cookie', cookie);
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual(['name', 'size']);
    const withJsonType = await request(app)
      .post('/api/things')
      .set('Cookie', cookie)
      .set('Content-Type', 'application/json');
    expect(withJsonType.status).toBe(400);
    expect(withJsonType.body.errors).toHaveLength(2);
  });

  it.each([
    ['text/plain', '{"name":"a","size":1}'],
    ['application/x-www-form-urlencoded', 'name=a&size=1'],
  ])('answers a body of type %s with 400: bodies are JSON', async (type, raw) => {
    const { cookie } = signinCookie();
    const res = await request(app)
      .post('/api/things')
      .set('Cookie', cookie)
      .set('Content-Type', type)
      .send(raw);
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      errors: [{ message: 'The body must be JSON (Content-Type: application/json)' }],
    });
  });

  it.each([
    ['a field', { name: 'a\u0000b', size: 1 }, 'name'],
    ['a nested value', { name: 'a', size: 1, tags: [{ label: ['x\u0000'] }] }, 'tags'],
    ['a key', { name: 'a', size: 1, 'k\u0000': 1 }, undefined],
  ])(
    'answers U+0000 in %s of the body with 400 (PostgreSQL cannot store it)',
    async (_c, sent, field) => {
      const { cookie } = signinCookie();
      const res = await request(app).post('/api/things').set('Cookie', cookie).send(sent);
      expect(res.status).toBe(400);
      expect(res.body).toEqual({
        errors: [{ message: 'Text must not contain the NUL character (U+0000)', field }],
      });
    },
  );

  it('answers U+0000 in the query string with 400', async () => {
    const res = await request(app).get('/api/me?actorId=a%00b');
    expect(res.status).toBe(400);
    expect(res.body.errors[0]).toMatchObject({ field: 'actorId' });
  });

  it('answers JSON in a charset other than UTF-8 with 400 in the common shape', async () => {
    const res = await request(app)
      .post('/api/things')
      .set('Content-Type', 'application/json; charset=latin1')
      .send('{"name":"a"}');
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ errors: [{ message: 'The body must be JSON in UTF-8' }] });
  });

  it('answers a body over the limit with 413', async () => {
    const res = await request(app)
      .post('/api/things')
      .send({ name: 'x'.repeat(2048) });
    expect(res.status).toBe(413);
    expect(res.body.errors[0].message).toBe('Request body too large');
  });

  it('answers a malformed ObjectId (a Mongo cast error) with 400', async () => {
    const res = await request(app).get('/api/things/not-an-id');
    expect(res.status).toBe(400);
    expect(res.body.errors[0]).toEqual({ message: 'Invalid identifier or value', field: '_id' });
  });

  it('answers unknown routes with 404 in the common shape', async () => {
    const res = await request(app).get('/api/nothing/here');
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ errors: [{ message: 'Route not found' }] });
  });
});

describe('requireAuth and a contract', () => {
  it('rejects a signed-out request with 401', async () => {
    const res = await request(app).post('/api/things').send({ name: 'a', size: 1 });
    expect(res.status).toBe(401);
  });

  it('lists one error per invalid field', async () => {
    const { cookie } = signinCookie();
    const res = await request(app)
      .post('/api/things')
      .set('Cookie', cookie)
      .send({ name: '  ', size: 0 });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([
      { message: 'Name is required', field: 'name' },
      { message: 'Size must be a positive integer', field: 'size' },
    ]);
  });

  it('lets a valid signed-in request through', async () => {
    const { cookie, user } = signinCookie();
    const res = await request(app)
      .post('/api/things')
      .set('Cookie', cookie)
      .send({ name: 'a', size: 2 });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ name: 'a', owner: user.id });
  });
});

describe('currentUser', () => {
  const payload = { id: 'u1', email: 'u1@example.test' };

  it('reads a valid token', async () => {
    const { cookie } = signinCookie(payload);
    const res = await request(app).get('/api/me').set('Cookie', cookie);
    expect(res.body.currentUser).toEqual(payload);
  });

  it.each([
    [
      'expired',
      () =>
        jwt.sign({ ...payload, exp: Math.floor(Date.now() / 1000) - 60 }, keys.privateKey, {
          algorithm: 'ES256',
        }),
    ],
    [
      'signed with another key',
      () => jwt.sign(payload, generateJwtKeys().privateKey, { algorithm: 'ES256' }),
    ],
    [
      'alg none',
      () =>
        `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url')}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.`,
    ],
    [
      'HS256 signed with the public key',
      () =>
        `${Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url')}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.c2ln`,
    ],
    ['garbage', () => 'not.a.token'],
  ])('treats a token that is %s as no user', async (_name, token) => {
    const res = await request(app).get('/api/me').set('Cookie', sessionCookie(token()));
    expect(res.status).toBe(200);
    expect(res.body.currentUser).toBeNull();
  });

  it('answers a remembered token as no user once it expired', async () => {
    const token = jwt.sign(
      { ...payload, exp: Math.floor(Date.now() / 1000) + 1 },
      keys.privateKey,
      {
        algorithm: 'ES256',
      },
    );
    const first = await request(app).get('/api/me').set('Cookie', sessionCookie(token));
    expect(first.body.currentUser).toEqual(payload);

    await new Promise((resolve) => setTimeout(resolve, 1100));
    const later = await request(app).get('/api/me').set('Cookie', sessionCookie(token));
    expect(later.body.currentUser).toBeNull();
  });

  it('never remembers a token that failed: the same bad token is refused every time', async () => {
    const forged = jwt.sign(payload, generateJwtKeys().privateKey, { algorithm: 'ES256' });
    for (let i = 0; i < 3; i += 1) {
      const res = await request(app).get('/api/me').set('Cookie', sessionCookie(forged));
      expect(res.body.currentUser).toBeNull();
    }
  });

  it('treats a tampered cookie as no user', async () => {
    const res = await request(app).get('/api/me').set('Cookie', 'session=%%%not-base64{');
    expect(res.status).toBe(200);
    expect(res.body.currentUser).toBeNull();
  });
});

describe('health, readiness, metrics and docs', () => {
  it('answers /healthz', async () => {
    const res = await request(app).get('/healthz');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok' });
  });

  it('reports readiness from its checks', async () => {
    expect((await request(app).get('/readyz')).body).toEqual({
      status: 'ok',
      checks: { db: 'ok' },
    });
    const down = await request(buildApp(false)).get('/readyz');
    expect(down.status).toBe(503);
    expect(down.body).toEqual({ status: 'unavailable', checks: { db: 'unavailable' } });
  });

  it('exposes request durations per route template, not per raw URL', async () => {
    await request(app).get('/api/things/known/conflict');
    const res = await request(app).get('/metrics');
    expect(res.status).toBe(200);
    expect(res.text).toContain('method="GET",route="/api/things/known/:kind",status="409"');
    expect(res.text).not.toContain('route="/api/things/known/conflict"');
  });

  it('serves the OpenAPI document as JSON and as a page', async () => {
    expect((await request(app).get('/api/things/docs.json')).body.openapi).toBe('3.1.0');
    const page = await request(app).get('/api/things/docs/');
    expect(page.status).toBe(200);
    expect(page.text).toContain('swagger');
  });

  it('sets security headers', async () => {
    const res = await request(app).get('/api/me');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-powered-by']).toBeUndefined();
  });
});
