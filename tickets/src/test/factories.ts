import { randomBytes } from 'node:crypto';
import { signinCookie } from '@taskforge/common/testing';
import type { Express } from 'express';
import { Types } from 'mongoose';
import request from 'supertest';
import { Ticket, type TicketResponse } from '../models/ticket';

export interface SignedInUser {
  id: string;
  cookie: string;
}

/** A signed-in user with a fresh id, as auth's cookie would make them. */
export function signIn(): SignedInUser {
  const { cookie, user } = signinCookie();
  return { id: user.id, cookie };
}

export function buildTicketInput(overrides: Partial<{ title: string; price: number }> = {}) {
  return { title: `Concert ${randomBytes(3).toString('hex')}`, price: 20, ...overrides };
}

/** Lists a ticket through the API, as `user` (a new user when omitted). */
export async function createTicket(
  app: Express,
  overrides: Partial<{ title: string; price: number }> = {},
  user: SignedInUser = signIn(),
): Promise<TicketResponse> {
  const res = await request(app)
    .post('/api/tickets')
    .set('Cookie', user.cookie)
    .send(buildTicketInput(overrides))
    .expect(201);
  return res.body as TicketResponse;
}

/** A ticket `owner` listed and then deleted through the API (soft-deleted: the document stays). */
export async function deletedTicket(app: Express, owner: SignedInUser): Promise<TicketResponse> {
  const ticket = await createTicket(app, {}, owner);
  await request(app).delete(`/api/tickets/${ticket.id}`).set('Cookie', owner.cookie).expect(204);
  return ticket;
}

/** What the orders service will do: hold the ticket for an order (directly in the database). */
export async function reserveTicket(id: string): Promise<string> {
  const orderId = randomBytes(12).toString('hex');
  await Ticket.collection.updateOne(
    { _id: new Types.ObjectId(id) },
    { $set: { orderId }, $inc: { version: 1 } },
  );
  return orderId;
}
