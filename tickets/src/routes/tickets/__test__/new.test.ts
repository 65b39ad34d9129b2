import { waitFor } from '@taskforge/common/testing';
import request from 'supertest';
import { Ticket } from '../../../models/ticket';
import { buildTicketInput, signIn } from '../../../test/factories';
import { expectDocumented } from '../../../test/openapi';
import { setupTicketsTest, type TicketsTestContext } from '../../../test/setup';

let ctx: TicketsTestContext;

beforeAll(async () => {
  ctx = await setupTicketsTest();
});
beforeEach(() => ctx.reset());
afterAll(() => ctx.close());

const post = (body: unknown, cookie = signIn().cookie) =>
  request(ctx.app)
    .post('/api/tickets')
    .set('Cookie', cookie)
    .send(body as object);

describe('POST /api/tickets', () => {
  it('creates the ticket for the signed-in user at version 0', async () => {
    const user = signIn();
    const res = await post({ title: '  Opera night ', price: 42.5 }, user.cookie);

    expect(res.status).toBe(201);
    expectDocumented('post', '/api/tickets', res);
    expect(res.body).toEqual({
      id: expect.stringMatching(/^[0-9a-f]{24}$/),
      title: 'Opera night',
      price: 42.5,
      userId: user.id,
      version: 0,
    });
    const stored = await Ticket.findById(res.body.id).lean();
    expect(stored).toMatchObject({
      title: 'Opera night',
      price: 42.5,
      userId: user.id,
      version: 0,
    });
    expect(stored?.deletedAt).toBeNull();
  });

  it('publishes ticket.created with version 0 and the ticket data, once', async () => {
    const user = signIn();
    const res = await post({ title: 'Jazz', price: 15 }, user.cookie).expect(201);

    const events = await ctx.eventsFor('ticket.created', res.body.id);
    expect(events).toHaveLength(1);
    expect(events[0]?.data).toEqual({
      id: res.body.id,
      version: 0,
      title: 'Jazz',
      price: 15,
      userId: user.id,
    });
    expect(events[0]?.metadata.actorId).toBe(user.id);
    // Published and removed from the document's outbox.
    await waitFor(async () => (await Ticket.findById(res.body.id).lean())?.outbox.length === 0);
  });

  it('never shows the outbox or internal fields', async () => {
    const res = await post(buildTicketInput()).expect(201);
    expect(JSON.stringify(res.body)).not.toMatch(/outbox|deletedAt|__v|_id|createdAt/);
  });

  it('returns 401 when signed out, and stores nothing', async () => {
    const res = await request(ctx.app).post('/api/tickets').send(buildTicketInput());
    expect(res.status).toBe(401);
    expectDocumented('post', '/api/tickets', res);
    expect(res.body).toEqual({ errors: [{ message: 'Not authorized' }] });
    expect(await Ticket.countDocuments()).toBe(0);
  });

  it.each([
    [{ price: 10 }, 'Title is required'],
    [{ title: '', price: 10 }, 'Title is required'],
    [{ title: '    ', price: 10 }, 'Title is required'],
    [{ title: null, price: 10 }, 'Title is required'],
    [{ title: 12, price: 10 }, 'Title must be a string'],
    [{ title: { $gt: '' }, price: 10 }, 'Title must be a string'],
    [{ title: 'x'.repeat(201), price: 10 }, 'Title must be at most 200 characters'],
  ])('returns 400 on title for %j', async (body, message) => {
    const res = await post(body);
    expect(res.status).toBe(400);
    expectDocumented('post', '/api/tickets', res);
    expect(res.body).toEqual({ errors: [{ message, field: 'title' }] });
  });

  it('accepts a title of exactly 200 characters', async () => {
    await post({ title: 'x'.repeat(200), price: 10 }).expect(201);
  });

  it.each([
    [{ title: 'a' }, 'Price is required'],
    [{ title: 'a', price: '10' }, 'Price must be a number'],
    [{ title: 'a', price: 'ten' }, 'Price must be a number'],
    [{ title: 'a', price: 0 }, 'Price must be greater than 0'],
    [{ title: 'a', price: -10 }, 'Price must be greater than 0'],
    [{ title: 'a', price: 1_000_000.01 }, 'Price must be at most 1000000'],
    [{ title: 'a', price: 10.005 }, 'Price must have at most two decimals'],
    [{ title: 'a', price: 0.001 }, 'Price must have at most two decimals'],
  ])('returns 400 on price for %j', async (body, message) => {
    const res = await post(body);
    expect(res.status).toBe(400);
    expectDocumented('post', '/api/tickets', res);
    expect(res.body).toEqual({ errors: [{ message, field: 'price' }] });
    expect(await Ticket.countDocuments()).toBe(0);
  });

  it.each([0.01, 0.29, 19.99, 1_000_000])('accepts a price of %d', async (price) => {
    const res = await post({ title: 'fine', price }).expect(201);
    expect(res.body.price).toBe(price);
  });

  it('reports every invalid field at once', async () => {
    const res = await post({ title: '', price: -1 }).expect(400);
    expect(res.body.errors).toEqual([
      { message: 'Title is required', field: 'title' },
      { message: 'Price must be greater than 0', field: 'price' },
    ]);
  });

  it('ignores a userId or version in the body', async () => {
    const user = signIn();
    const res = await post(
      { ...buildTicketInput(), userId: 'someone-else', version: 7 },
      user.cookie,
    );
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ userId: user.id, version: 0 });
  });

  it('answers malformed JSON with 400 in the common shape', async () => {
    const res = await request(ctx.app)
      .post('/api/tickets')
      .set('Cookie', signIn().cookie)
      .set('Content-Type', 'application/json')
      .send('{"title": ');
    expect(res.status).toBe(400);
    expectDocumented('post', '/api/tickets', res);
  });
});
