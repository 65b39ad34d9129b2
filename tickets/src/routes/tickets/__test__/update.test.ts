import { readEvents, waitFor } from '@taskforge/common/testing';
import request from 'supertest';
import { Ticket } from '../../../models/ticket';
import {
  createTicket,
  deletedTicket,
  reserveTicket,
  signIn,
  type SignedInUser,
} from '../../../test/factories';
import { expectDocumented } from '../../../test/openapi';
import { setupTicketsTest, type TicketsTestContext } from '../../../test/setup';

let ctx: TicketsTestContext;

beforeAll(async () => {
  ctx = await setupTicketsTest();
});
beforeEach(() => ctx.reset());
afterAll(() => ctx.close());

const put = (id: string, body: object, user?: SignedInUser) => {
  const req = request(ctx.app).put(`/api/tickets/${id}`);
  if (user) req.set('Cookie', user.cookie);
  return req.send(body);
};

describe('PUT /api/tickets/:id', () => {
  it('lets the owner edit: 200 with the new values and the version incremented', async () => {
    const owner = signIn();
    const ticket = await createTicket(ctx.app, { title: 'Old', price: 10 }, owner);

    const res = await put(ticket.id, { title: ' New ', price: 12.34 }, owner);

    expect(res.status).toBe(200);
    expectDocumented('put', '/api/tickets/{id}', res);
    expect(res.body).toEqual({
      id: ticket.id,
      title: 'New',
      price: 12.34,
      userId: owner.id,
      version: 1,
    });
    expect(await Ticket.findById(ticket.id).lean()).toMatchObject({
      title: 'New',
      price: 12.34,
      version: 1,
    });
  });

  it('publishes ticket.updated with the version the save produced and the new data', async () => {
    const owner = signIn();
    const ticket = await createTicket(ctx.app, {}, owner);
    await put(ticket.id, { title: 'v1', price: 11 }, owner).expect(200);
    await put(ticket.id, { title: 'v2', price: 12 }, owner).expect(200);

    const events = await ctx.eventsFor('ticket.updated', ticket.id, 2);
    expect(events.map((e) => e.data)).toEqual([
      { id: ticket.id, version: 1, title: 'v1', price: 11, userId: owner.id },
      { id: ticket.id, version: 2, title: 'v2', price: 12, userId: owner.id },
    ]);
    expect(events[0]?.metadata.actorId).toBe(owner.id);
  });

  it('returns 401 when signed out and changes nothing', async () => {
    const ticket = await createTicket(ctx.app, { title: 'Kept' });
    const res = await put(ticket.id, { title: 'Changed', price: 5 });
    expect(res.status).toBe(401);
    expectDocumented('put', '/api/tickets/{id}', res);
    expect(await Ticket.findById(ticket.id).lean()).toMatchObject({ title: 'Kept', version: 0 });
  });

  it('returns 403 when another user edits the ticket, and changes nothing', async () => {
    const ticket = await createTicket(ctx.app, { title: 'Kept' });
    const res = await put(ticket.id, { title: 'Stolen', price: 5 }, signIn());
    expect(res.status).toBe(403);
    expectDocumented('put', '/api/tickets/{id}', res);
    expect(res.body).toEqual({ errors: [{ message: 'You do not own this ticket' }] });
    expect(await Ticket.findById(ticket.id).lean()).toMatchObject({ title: 'Kept', version: 0 });
  });

  it('returns 404 when the ticket does not exist or the id is malformed', async () => {
    for (const id of ['0123456789abcdef01234567', 'nope']) {
      const res = await put(id, { title: 'x', price: 5 }, signIn());
      expect(res.status).toBe(404);
      expectDocumented('put', '/api/tickets/{id}', res);
    }
  });

  it('returns 404 for a deleted ticket', async () => {
    const owner = signIn();
    const ticket = await deletedTicket(ctx.app, owner);
    await put(ticket.id, { title: 'back', price: 5 }, owner).expect(404);
  });

  it.each([
    [{ title: '', price: 10 }, 'title', 'Title is required'],
    [{ price: 10 }, 'title', 'Title is required'],
    [{ title: 'x'.repeat(201), price: 10 }, 'title', 'Title must be at most 200 characters'],
    [{ title: 'ok', price: -5 }, 'price', 'Price must be greater than 0'],
    [{ title: 'ok' }, 'price', 'Price is required'],
    [{ title: 'ok', price: 2_000_000 }, 'price', 'Price must be at most 1000000'],
    [{ title: 'ok', price: 1.234 }, 'price', 'Price must have at most two decimals'],
    [{ title: 'ok', price: 1, version: -1 }, 'version', 'Version must be a non-negative integer'],
  ])('returns 400 for %j', async (body, field, message) => {
    const owner = signIn();
    const ticket = await createTicket(ctx.app, { title: 'Kept' }, owner);
    const res = await put(ticket.id, body, owner);
    expect(res.status).toBe(400);
    expectDocumented('put', '/api/tickets/{id}', res);
    expect(res.body).toEqual({ errors: [{ message, field }] });
    expect(await Ticket.findById(ticket.id).lean()).toMatchObject({ title: 'Kept', version: 0 });
  });

  it('returns 400 "Cannot edit a reserved ticket" and changes nothing', async () => {
    const owner = signIn();
    const ticket = await createTicket(ctx.app, { title: 'Held' }, owner);
    await reserveTicket(ticket.id);

    const res = await put(ticket.id, { title: 'Changed', price: 99 }, owner);

    expect(res.status).toBe(400);
    expectDocumented('put', '/api/tickets/{id}', res);
    expect(res.body).toEqual({ errors: [{ message: 'Cannot edit a reserved ticket' }] });
    expect(await Ticket.findById(ticket.id).lean()).toMatchObject({ title: 'Held', version: 1 });
  });

  it('returns 409 when the client edited a version that is no longer current', async () => {
    const owner = signIn();
    const ticket = await createTicket(ctx.app, {}, owner);
    await put(ticket.id, { title: 'first', price: 1, version: 0 }, owner).expect(200);

    const res = await put(ticket.id, { title: 'stale', price: 2, version: 0 }, owner);

    expect(res.status).toBe(409);
    expectDocumented('put', '/api/tickets/{id}', res);
    expect(await Ticket.findById(ticket.id).lean()).toMatchObject({ title: 'first', version: 1 });
  });

  it('keeps versions gapless under concurrent edits: each PUT is applied (200) or refused (409)', async () => {
    const owner = signIn();
    const ticket = await createTicket(ctx.app, { price: 1 }, owner);

    const responses = await Promise.all(
      [1, 2, 3, 4, 5].map((n) => put(ticket.id, { title: `edit ${n}`, price: 10 + n }, owner)),
    );

    const statuses = responses.map((r) => r.status);
    for (const res of responses) expectDocumented('put', '/api/tickets/{id}', res);
    expect(statuses.every((s) => s === 200 || s === 409)).toBe(true);
    const applied = responses.filter((r) => r.status === 200);
    expect(applied.length).toBeGreaterThanOrEqual(1);
    // Every applied edit got its own version: 1..n, none repeated.
    expect(applied.map((r) => r.body.version as number).sort()).toEqual(
      applied.map((_r, i) => i + 1),
    );

    const stored = await Ticket.findById(ticket.id).lean();
    expect(stored?.version).toBe(applied.length);
    const last = applied.find((r) => r.body.version === applied.length);
    expect(stored).toMatchObject({ title: last?.body.title, price: last?.body.price });

    await waitFor(async () => (await Ticket.findById(ticket.id).lean())?.outbox.length === 0);
    const events = (await readEvents(ctx.natsUrl, 'ticket.updated')).filter(
      (e) => e.data.id === ticket.id,
    );
    expect(events.map((e) => e.data.version)).toEqual(applied.map((_r, i) => i + 1));
    // Each event carries what its own save wrote.
    for (const event of events) {
      const res = applied.find((r) => r.body.version === event.data.version);
      expect(event.data).toMatchObject({ title: res?.body.title, price: res?.body.price });
    }
  });
});
