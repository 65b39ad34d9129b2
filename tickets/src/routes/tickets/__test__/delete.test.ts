import request from 'supertest';
import { Ticket } from '../../../models/ticket';
import { createTicket, reserveTicket, signIn, type SignedInUser } from '../../../test/factories';
import { expectDocumented } from '../../../test/openapi';
import { setupTicketsTest, type TicketsTestContext } from '../../../test/setup';

let ctx: TicketsTestContext;

beforeAll(async () => {
  ctx = await setupTicketsTest();
});
beforeEach(() => ctx.reset());
afterAll(() => ctx.close());

const del = (id: string, user?: SignedInUser) => {
  const req = request(ctx.app).delete(`/api/tickets/${id}`);
  if (user) req.set('Cookie', user.cookie);
  return req;
};

describe('DELETE /api/tickets/:id', () => {
  it('lets the owner delete: 204, soft-deleted with the version bumped', async () => {
    const owner = signIn();
    const ticket = await createTicket(ctx.app, {}, owner);

    const res = await del(ticket.id, owner);

    expect(res.status).toBe(204);
    expectDocumented('delete', '/api/tickets/{id}', res);
    expect(res.text).toBe('');
    const stored = await Ticket.findById(ticket.id).lean();
    expect(stored?.deletedAt).toBeInstanceOf(Date);
    expect(stored?.version).toBe(1);
    await request(ctx.app).get(`/api/tickets/${ticket.id}`).expect(404);
    await del(ticket.id, owner).expect(404);
  });

  it('publishes ticket.deleted with the bumped version and the ticket data', async () => {
    const owner = signIn();
    const ticket = await createTicket(ctx.app, { title: 'Gone', price: 8 }, owner);
    await del(ticket.id, owner).expect(204);

    const [event] = await ctx.eventsFor('ticket.deleted', ticket.id);
    expect(event?.data).toEqual({
      id: ticket.id,
      version: 1,
      title: 'Gone',
      price: 8,
      userId: owner.id,
    });
  });

  it('returns 401 when signed out', async () => {
    const ticket = await createTicket(ctx.app);
    const res = await del(ticket.id);
    expect(res.status).toBe(401);
    expectDocumented('delete', '/api/tickets/{id}', res);
    expect(await Ticket.findById(ticket.id).lean()).toMatchObject({ deletedAt: null, version: 0 });
  });

  it('returns 403 when another user deletes the ticket', async () => {
    const ticket = await createTicket(ctx.app);
    const res = await del(ticket.id, signIn());
    expect(res.status).toBe(403);
    expectDocumented('delete', '/api/tickets/{id}', res);
    expect(await Ticket.findById(ticket.id).lean()).toMatchObject({ deletedAt: null, version: 0 });
  });

  it('returns 404 when the ticket does not exist or the id is malformed', async () => {
    for (const id of ['0123456789abcdef01234567', 'nope']) {
      const res = await del(id, signIn());
      expect(res.status).toBe(404);
      expectDocumented('delete', '/api/tickets/{id}', res);
    }
  });

  it('returns 400 for a reserved ticket and keeps it', async () => {
    const owner = signIn();
    const ticket = await createTicket(ctx.app, {}, owner);
    await reserveTicket(ticket.id);

    const res = await del(ticket.id, owner);

    expect(res.status).toBe(400);
    expectDocumented('delete', '/api/tickets/{id}', res);
    expect(res.body).toEqual({ errors: [{ message: 'Cannot edit a reserved ticket' }] });
    expect(await Ticket.findById(ticket.id).lean()).toMatchObject({ deletedAt: null, version: 1 });
  });
});
