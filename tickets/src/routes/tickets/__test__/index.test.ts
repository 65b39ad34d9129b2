import { randomBytes } from 'node:crypto';
import { Types } from 'mongoose';
import request, { type Response } from 'supertest';
import { Ticket, type TicketResponse } from '../../../models/ticket';
import { createTicket, reserveTicket, signIn } from '../../../test/factories';
import { expectDocumented } from '../../../test/openapi';
import { setupTicketsTest, type TicketsTestContext } from '../../../test/setup';
import { encodeTimeCursor } from '@taskforge/common';

let ctx: TicketsTestContext;

beforeAll(async () => {
  ctx = await setupTicketsTest();
});
beforeEach(() => ctx.reset());
afterAll(() => ctx.close());

interface StoredTicket {
  _id: Types.ObjectId;
  title: string;
  price: number;
  userId: string;
  createdAt: Date;
}

/** Tickets written straight to the collection, so tests control createdAt exactly. */
async function insertTickets(
  specs: Array<Partial<Omit<StoredTicket, '_id'>> & { orderId?: string; deletedAt?: Date }>,
): Promise<StoredTicket[]> {
  const docs = specs.map((spec, i) => ({
    _id: new Types.ObjectId(),
    title: spec.title ?? `Ticket ${i}`,
    price: spec.price ?? 10,
    userId: spec.userId ?? 'seller',
    orderId: spec.orderId ?? null,
    deletedAt: spec.deletedAt ?? null,
    createdAt: spec.createdAt ?? new Date(Date.UTC(2025, 0, 1, 0, 0, i)),
    version: 0,
    outbox: [],
  }));
  await Ticket.collection.insertMany(docs);
  return docs;
}

/** The order the list promises: newest first, then the higher _id first. */
function newestFirst(tickets: StoredTicket[]): string[] {
  return [...tickets]
    .sort(
      (a, b) =>
        b.createdAt.getTime() - a.createdAt.getTime() ||
        b._id.toHexString().localeCompare(a._id.toHexString()),
    )
    .map((t) => t._id.toHexString());
}

const list = (query: Record<string, string> = {}) =>
  request(ctx.app).get('/api/tickets').query(query);
const ids = (res: Response) => (res.body as TicketResponse[]).map((t) => t.id);

describe('GET /api/tickets', () => {
  it('returns a plain array of tickets, newest first, to anyone', async () => {
    const first = await createTicket(ctx.app, { title: 'First', price: 5 });
    await new Promise((r) => setTimeout(r, 5));
    const second = await createTicket(ctx.app, { title: 'Second', price: 6 });

    const res = await list();

    expect(res.status).toBe(200);
    expectDocumented('get', '/api/tickets', res);
    expect(res.body).toEqual([second, first]);
    expect(res.headers['x-next-cursor']).toBeUndefined();
    expect(res.headers.link).toBeUndefined();
  });

  it('returns an empty array when there is nothing for sale', async () => {
    const res = await list().expect(200);
    expect(res.body).toEqual([]);
  });

  it('hides reserved and deleted tickets', async () => {
    const owner = signIn();
    const [listed, reserved, deleted] = [
      await createTicket(ctx.app, { title: 'listed' }, owner),
      await createTicket(ctx.app, { title: 'reserved' }, owner),
      await createTicket(ctx.app, { title: 'deleted' }, owner),
    ];
    await reserveTicket(reserved!.id);
    await request(ctx.app)
      .delete(`/api/tickets/${deleted!.id}`)
      .set('Cookie', owner.cookie)
      .expect(204);

    const res = await list().expect(200);
    expect(ids(res)).toEqual([listed!.id]);
  });

  it('lists documents that have no orderId or deletedAt field at all', async () => {
    const _id = new Types.ObjectId();
    await Ticket.collection.insertOne({
      _id,
      title: 'legacy',
      price: 3,
      userId: 'u',
      createdAt: new Date(),
      version: 0,
    });
    const res = await list().expect(200);
    expect(ids(res)).toEqual([_id.toHexString()]);
  });

  it('returns 20 by default and announces the next page in X-Next-Cursor and Link', async () => {
    const stored = await insertTickets(Array.from({ length: 21 }, () => ({})));
    const res = await list().expect(200);
    expectDocumented('get', '/api/tickets', res);
    expect(res.body).toHaveLength(20);
    const cursor = res.headers['x-next-cursor'];
    expect(cursor).toEqual(expect.any(String));
    expect(res.headers.link).toBe(`</api/tickets?cursor=${cursor}>; rel="next"`);
    expect(res.headers['access-control-expose-headers']).toMatch(/X-Next-Cursor/);

    const next = await request(ctx.app).get(`/api/tickets?cursor=${cursor}`).expect(200);
    expect(ids(next)).toEqual(newestFirst(stored).slice(20));
    expect(next.headers['x-next-cursor']).toBeUndefined();
  });

  it('pages through every ticket exactly once, even when many share a createdAt', async () => {
    const same = new Date(Date.UTC(2025, 5, 1, 12));
    const other = new Date(Date.UTC(2025, 5, 1, 11));
    const stored = await insertTickets([
      ...Array.from({ length: 10 }, () => ({ createdAt: same })),
      ...Array.from({ length: 6 }, () => ({ createdAt: other })),
      ...Array.from({ length: 9 }, (_v, i) => ({ createdAt: new Date(Date.UTC(2025, 0, 1, i)) })),
    ]);

    const seen: string[] = [];
    const pageSizes: number[] = [];
    let res = await list({ limit: '7' }).expect(200);
    for (;;) {
      expectDocumented('get', '/api/tickets', res);
      seen.push(...ids(res));
      pageSizes.push(res.body.length);
      const link = res.headers.link as string | undefined;
      if (!link) break;
      expect(link).toContain('limit=7');
      // Follow the Link header as a client would.
      const url = /^<([^>]+)>; rel="next"$/.exec(link)?.[1];
      res = await request(ctx.app)
        .get(url as string)
        .expect(200);
    }

    expect(pageSizes).toEqual([7, 7, 7, 4]);
    expect(new Set(seen).size).toBe(25);
    expect(seen).toEqual(newestFirst(stored));
  });

  it('keeps a cursor stable when newer tickets are listed between pages', async () => {
    const stored = await insertTickets(Array.from({ length: 6 }, () => ({})));
    const page1 = await list({ limit: '3' }).expect(200);
    await createTicket(ctx.app, { title: 'brand new' });
    const page2 = await list({
      limit: '3',
      cursor: page1.headers['x-next-cursor'] as string,
    }).expect(200);
    expect([...ids(page1), ...ids(page2)]).toEqual(newestFirst(stored));
  });

  it('filters by price range, inclusive', async () => {
    const stored = await insertTickets([
      { price: 5 },
      { price: 10 },
      { price: 15.5 },
      { price: 20 },
    ]);
    const priced = (p: number) => stored.find((t) => t.price === p)!._id.toHexString();

    expect(ids(await list({ minPrice: '10' }).expect(200))).toEqual([
      priced(20),
      priced(15.5),
      priced(10),
    ]);
    expect(ids(await list({ maxPrice: '15.5' }).expect(200))).toEqual([
      priced(15.5),
      priced(10),
      priced(5),
    ]);
    expect(ids(await list({ minPrice: '6', maxPrice: '16' }).expect(200))).toEqual([
      priced(15.5),
      priced(10),
    ]);
    expect(ids(await list({ minPrice: '10', maxPrice: '10' }).expect(200))).toEqual([priced(10)]);
  });

  it('matches q anywhere in the title, ignoring case', async () => {
    const stored = await insertTickets([
      { title: 'Rock Concert' },
      { title: 'jazz concert night' },
      { title: 'Opera' },
    ]);
    const res = await list({ q: 'CONCERT' }).expect(200);
    expect(ids(res).sort()).toEqual(
      [stored[0]!._id.toHexString(), stored[1]!._id.toHexString()].sort(),
    );
  });

  it('takes regex metacharacters in q literally', async () => {
    const stored = await insertTickets([
      { title: 'Plain title' },
      { title: 'Sale .* today' },
      { title: 'Price (USD) [1+1]?' },
      { title: 'a\\b' },
    ]);
    const id = (i: number) => stored[i]!._id.toHexString();
    expect(ids(await list({ q: '.*' }).expect(200))).toEqual([id(1)]);
    expect(ids(await list({ q: '(usd) [1+1]?' }).expect(200))).toEqual([id(2)]);
    expect(ids(await list({ q: 'a\\b' }).expect(200))).toEqual([id(3)]);
    expect(ids(await list({ q: '^Plain$' }).expect(200))).toEqual([]);
    expect(ids(await list({ q: '(' }).expect(200))).toEqual([id(2)]);
  });

  it('filters by seller', async () => {
    const stored = await insertTickets([
      { userId: 'alice' },
      { userId: 'bob' },
      { userId: 'alice' },
    ]);
    const res = await list({ userId: 'alice' }).expect(200);
    expect(ids(res)).toEqual(newestFirst([stored[0]!, stored[2]!]));
  });

  it('combines filters with pagination and keeps them in the Link', async () => {
    const stored = await insertTickets([
      ...Array.from({ length: 5 }, () => ({ userId: 'alice', title: 'Gig', price: 50 })),
      ...Array.from({ length: 3 }, () => ({ userId: 'alice', title: 'Gig', price: 500 })),
      ...Array.from({ length: 3 }, () => ({ userId: 'bob', title: 'Gig', price: 50 })),
    ]);
    const wanted = newestFirst(stored.filter((t) => t.userId === 'alice' && t.price === 50));
    const query = { userId: 'alice', q: 'gig', maxPrice: '100', limit: '2' };

    const seen: string[] = [];
    let res = await list(query).expect(200);
    for (;;) {
      seen.push(...ids(res));
      const link = res.headers.link as string | undefined;
      if (!link) break;
      expect(link).toMatch(/userId=alice/);
      expect(link).toMatch(/maxPrice=100/);
      res = await request(ctx.app)
        .get(/^<([^>]+)>/.exec(link)![1]!)
        .expect(200);
    }
    expect(seen).toEqual(wanted);
  });

  it.each([
    ['limit=0', 'limit'],
    ['limit=101', 'limit'],
    ['limit=abc', 'limit'],
    ['limit=1.5', 'limit'],
    ['limit=-3', 'limit'],
    ['limit=1&limit=2', 'limit'],
    ['limit[gt]=1', 'limit'],
    ['cursor=not-a-cursor', 'cursor'],
    [`cursor=${Buffer.from('["x","y"]').toString('base64url')}`, 'cursor'],
    [`cursor=${Buffer.from('[1,"0123"]').toString('base64url')}`, 'cursor'],
    ['minPrice=-1', 'minPrice'],
    ['minPrice=cheap', 'minPrice'],
    ['maxPrice=1e3', 'maxPrice'],
    ['maxPrice=2000000', 'maxPrice'],
    ['minPrice=20&maxPrice=10', 'maxPrice'],
    ['q[$ne]=x', 'q'],
    [`q=${'x'.repeat(201)}`, 'q'],
    ['userId[$gt]=', 'userId'],
    ['userId=', 'userId'],
  ])('returns 400 on %s', async (query, field) => {
    const res = await request(ctx.app).get(`/api/tickets?${query}`);
    expect(res.status).toBe(400);
    expectDocumented('get', '/api/tickets', res);
    expect(res.body.errors).toEqual([{ message: expect.any(String), field }]);
  });

  it('accepts a cursor it made itself for a ticket that no longer exists', async () => {
    const stored = await insertTickets([{}, {}]);
    const cursor = encodeTimeCursor({
      at: new Date(Date.UTC(2030, 0, 1)),
      id: randomBytes(12).toString('hex'),
    });
    const res = await list({ cursor }).expect(200);
    expect(ids(res)).toEqual(newestFirst(stored));
  });

  it('has indexes that back the list order and its filters', async () => {
    const keys = (await Ticket.collection.indexes()).map((index) => index.key);
    expect(keys).toEqual(
      expect.arrayContaining([
        { createdAt: -1, _id: -1 },
        { userId: 1, createdAt: -1, _id: -1 },
        { price: 1 },
      ]),
    );
  });
});
