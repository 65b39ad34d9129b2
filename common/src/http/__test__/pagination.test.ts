import express from 'express';
import request from 'supertest';
import { z } from 'zod';
import { errorHandler } from '../../middlewares/error-handler';
import {
  decodeTimeCursor,
  encodeTimeCursor,
  pageQueryFields,
  parseQuery,
  sendPageHeaders,
} from '../pagination';

const isId = (id: string) => /^[a-z]{1,8}$/.test(id);
const rows = ['a', 'b', 'c', 'd', 'e'].map((id, i) => ({
  id,
  at: new Date(Date.UTC(2026, 0, i + 1)),
}));

/** A list route as services write one: newest first, keyset pages over (at, id). */
function listApp() {
  const schema = z.object({
    ...pageQueryFields({
      defaultLimit: 2,
      maxLimit: 3,
      decodeCursor: (value) => decodeTimeCursor(value, isId),
    }),
    q: z.string().optional(),
  });
  const app = express();
  // As createApp sets it: `?cursor[$ne]=x` arrives as an object, which must be refused.
  app.set('query parser', 'extended');
  app.get('/api/things', (req, res) => {
    const query = parseQuery(schema, req.query);
    const newestFirst = [...rows].reverse();
    const after = query.cursor
      ? newestFirst.filter((row) => row.at < query.cursor!.at)
      : newestFirst;
    const page = sendPageHeaders(req, res, after.slice(0, query.limit + 1), query.limit, (row) =>
      encodeTimeCursor(row),
    );
    res.send(page.map((row) => row.id));
  });
  app.use(errorHandler);
  return app;
}

describe('time cursors', () => {
  it('round-trip, and refuse what this service did not make', () => {
    const cursor = { at: new Date(Date.UTC(2026, 4, 1)), id: 'abc' };
    expect(decodeTimeCursor(encodeTimeCursor(cursor), isId)).toEqual(cursor);
    expect(decodeTimeCursor(encodeTimeCursor({ ...cursor, id: 'NOT-AN-ID' }), isId)).toBe(
      undefined,
    );
    expect(decodeTimeCursor('not base64 json', isId)).toBeUndefined();
    const huge = Buffer.from(JSON.stringify([1e20, 'abc'])).toString('base64url');
    expect(decodeTimeCursor(huge, isId)).toBeUndefined();
  });
});

describe('a paginated list route', () => {
  const app = listApp();

  it('walks every row exactly once, each page announcing the next in X-Next-Cursor and Link', async () => {
    const seen: string[] = [];
    let path: string | undefined = '/api/things?q=keep';
    while (path) {
      const res = await request(app).get(path).expect(200);
      seen.push(...(res.body as string[]));
      const next = res.headers['x-next-cursor'] as string | undefined;
      const link = res.headers.link as string | undefined;
      if (next) {
        expect(link).toBe(`</api/things?q=keep&cursor=${next}>; rel="next"`);
        path = /<([^>]+)>/.exec(link!)?.[1];
      } else {
        expect(link).toBeUndefined();
        path = undefined;
      }
      expect(res.headers['access-control-expose-headers']).toBe('Link, X-Next-Cursor');
    }
    expect(seen).toEqual(['e', 'd', 'c', 'b', 'a']);
  });

  it.each([
    ['limit=0', 'limit', 'Limit must be an integer between 1 and 3'],
    ['limit=4', 'limit', 'Limit must be an integer between 1 and 3'],
    ['limit=two', 'limit', 'Limit must be an integer between 1 and 3'],
    ['cursor=garbage', 'cursor', 'Cursor is invalid'],
    ['limit=1&limit=2', 'limit', 'limit must be a single value'],
    ['cursor[$ne]=x', 'cursor', 'cursor must be a single value'],
  ])('answers ?%s with a 400 naming %s', async (query, field, message) => {
    const res = await request(app).get(`/api/things?${query}`).expect(400);
    expect(res.body).toEqual({ errors: [{ message, field }] });
  });
});
