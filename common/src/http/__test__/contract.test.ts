import { Router } from 'express';
import pino from 'pino';
import request from 'supertest';
import { z } from 'zod';
import { NotFoundError } from '../../errors';
import { openApiChecker } from '../../testing/openapi';
import { errorAnswer, handle, openApiDocumentFor, route } from '../contract';
import { createApp } from '../create-app';
import { testKeys } from '../../testing';

const note = z
  .object({ text: z.string({ error: 'Text is required' }).trim().min(1, 'Text is required') })
  .meta({ id: 'Note' });
const saveNote = route({
  method: 'put',
  path: '/api/notes/:id',
  tags: ['notes'],
  summary: 'Save a note',
  signedIn: false,
  pathParams: { id: { description: 'The note' } },
  query: z.object({
    draft: z
      .enum(['yes', 'no'], { error: 'draft must be yes or no' })
      .transform((v) => v === 'yes')
      .optional(),
  }),
  body: note,
  responses: {
    200: { description: 'Saved', body: note.extend({ id: z.string(), draft: z.boolean() }) },
    400: errorAnswer('Invalid note'),
  },
});
const showNote = route({
  method: 'get',
  path: '/api/notes/:id',
  tags: ['notes'],
  summary: 'A note',
  pathParams: {
    id: {
      description: 'The note (n and digits); anything else is no note',
      pattern: '^n\\d+$',
      invalid: () => new NotFoundError('Note not found'),
    },
  },
  query: z.object({
    draft: z.enum(['yes', 'no'], { error: 'draft must be yes or no' }).optional(),
  }),
  responses: {
    200: { description: 'The note', body: z.object({ id: z.string() }) },
    400: errorAnswer('Invalid query'),
    404: errorAnswer('No such note'),
  },
});
const document = openApiDocumentFor({
  title: 'notes',
  description: 'A test service',
  tags: ['notes'],
  routes: [saveNote, showNote],
});

function app() {
  const router = Router();
  router.put(
    saveNote.path,
    handle(saveNote, ({ body, query }, req, res) => {
      res.send({ id: req.params.id, text: body.text, draft: query.draft ?? false });
    }),
  );
  router.get(
    showNote.path,
    handle(showNote, (_input, req, res) => {
      res.send({ id: req.params.id });
    }),
  );
  return createApp({
    service: 'test',
    logger: pino({ level: 'silent' }),
    jwtPublicKey: testKeys().publicKey,
    cookieSecure: false,
    routers: [router],
  });
}

const expectDocumented = openApiChecker(document);

describe('a route behind its contract', () => {
  it('gets its body and query parsed: trimmed, converted', async () => {
    const res = await request(app()).put('/api/notes/n1?draft=yes').send({ text: '  hi  ' });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ id: 'n1', text: 'hi', draft: true });
    expectDocumented('put', '/api/notes/{id}', res);
  });

  it('answers 400 in the common shape, one entry per field, and never runs the handler', async () => {
    const cases: Array<[string, unknown, object[]]> = [
      ['', { text: ' ' }, [{ message: 'Text is required', field: 'text' }]],
      [
        '?draft=maybe',
        {},
        [
          { message: 'Text is required', field: 'text' },
          { message: 'draft must be yes or no', field: 'draft' },
        ],
      ],
      [
        '?draft=yes&draft=no',
        { text: 'x' },
        [{ message: 'draft must be a single value', field: 'draft' }],
      ],
      [
        '?draft[$ne]=yes',
        { text: 'x' },
        [{ message: 'draft must be a single value', field: 'draft' }],
      ],
      ['', [1, 2], [{ message: 'The body must be a JSON object' }]],
    ];
    for (const [query, body, errors] of cases) {
      const res = await request(app())
        .put(`/api/notes/n1${query}`)
        .send(body as object);
      expect(res.status).toBe(400);
      expectDocumented('put', '/api/notes/{id}', res);
      expect(res.body).toEqual({ errors });
    }
  });

  it('answers a malformed path parameter as its contract says, before reading the query', async () => {
    const refused = await request(app()).get('/api/notes/x1?draft=maybe');
    expect(refused.status).toBe(404);
    expectDocumented('get', '/api/notes/{id}', refused);
    expect(refused.body).toEqual({ errors: [{ message: 'Note not found' }] });

    const shown = await request(app()).get('/api/notes/n12');
    expect(shown.status).toBe(200);
    expect(shown.body).toEqual({ id: 'n12' });
  });
});

describe('openApiDocumentFor', () => {
  it('writes each route from its contract, its named schemas as components', () => {
    interface Written {
      requestBody: { content: Record<string, { schema: unknown }> };
      parameters: unknown[];
      responses: Record<number, { content: Record<string, { schema: unknown }> }>;
      security?: unknown;
    }
    const operation = (document.paths['/api/notes/{id}'] as { put: Written }).put;
    expect(operation.requestBody.content['application/json']?.schema).toEqual({
      $ref: '#/components/schemas/Note',
    });
    expect(operation.parameters).toEqual([
      {
        name: 'id',
        in: 'path',
        required: true,
        description: 'The note',
        schema: { type: 'string' },
      },
      { name: 'draft', in: 'query', schema: { type: 'string', enum: ['yes', 'no'] } },
    ]);
    expect(operation.responses[400]?.content['application/json']?.schema).toEqual({
      $ref: '#/components/schemas/ErrorResponse',
    });
    expect(Object.keys(document.components.schemas).sort()).toEqual(['ErrorResponse', 'Note']);
    expect(operation.security).toBeUndefined();
  });
});
