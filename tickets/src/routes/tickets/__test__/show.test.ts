import request from 'supertest';
import { Ticket } from '../../../models/ticket';
import { createTicket, deletedTicket, reserveTicket, signIn } from '../../../test/factories';
import { expectDocumented } from '../../../test/openapi';
import { setupTicketsTest, type TicketsTestContext } from '../../../test/setup';

let ctx: TicketsTestContext;

beforeAll(async () => {
  ctx = await setupTicketsTest();
});
beforeEach(() => ctx.reset());
afterAll(() => ctx.close());

const show = (id: string) => request(ctx.app).get(`/api/tickets/${id}`);

describe('GET /api/tickets/:id', () => {
  it('returns the ticket to anyone, signed out included', async () => {
    const ticket = await createTicket(ctx.app, { title: 'Ballet', price: 30 });
    const res = await show(ticket.id);
    expect(res.status).toBe(200);
    expectDocumented('get', '/api/tickets/{id}', res);
    expect(res.body).toEqual(ticket);
  });

  it('shows the orderId of a reserved ticket', async () => {
    const ticket = await createTicket(ctx.app);
    const orderId = await reserveTicket(ticket.id);
    const res = await show(ticket.id).expect(200);
    expectDocumented('get', '/api/tickets/{id}', res);
    expect(res.body).toMatchObject({ id: ticket.id, orderId, version: 1 });
  });

  it('returns 404 when the ticket does not exist', async () => {
    const res = await show('0123456789abcdef01234567');
    expect(res.status).toBe(404);
    expectDocumented('get', '/api/tickets/{id}', res);
    expect(res.body).toEqual({ errors: [{ message: 'Ticket not found' }] });
  });

  it.each(['not-an-id', '123', '0123456789ab', 'zzzzzzzzzzzzzzzzzzzzzzzz', '%24ne'])(
    'returns 404, not 500, for the malformed id %s',
    async (id) => {
      const res = await show(id);
      expect(res.status).toBe(404);
      expectDocumented('get', '/api/tickets/{id}', res);
    },
  );

  it('returns 404 for a soft-deleted ticket', async () => {
    const owner = signIn();
    const ticket = await deletedTicket(ctx.app, owner);
    expect(await Ticket.exists({ _id: ticket.id })).toBeTruthy();
    const res = await show(ticket.id);
    expect(res.status).toBe(404);
    expectDocumented('get', '/api/tickets/{id}', res);
  });
});
