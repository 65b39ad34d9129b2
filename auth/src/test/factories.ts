import { randomBytes } from 'node:crypto';
import type { Express } from 'express';
import request, { type Response } from 'supertest';

export interface Credentials {
  email: string;
  password: string;
}

export function buildCredentials(overrides: Partial<Credentials> = {}): Credentials {
  return {
    email: `user-${randomBytes(4).toString('hex')}@example.test`,
    password: 'correct horse battery',
    ...overrides,
  };
}

/** The `name=value` part of the session cookie a response set. */
export function sessionCookieFrom(res: Response): string {
  const cookie = (res.get('Set-Cookie') ?? []).find((c) => c.startsWith('session='));
  if (!cookie) throw new Error(`no session cookie in the response (status ${res.status})`);
  return cookie.split(';')[0] as string;
}

export interface SignedUp {
  id: string;
  email: string;
  password: string;
  cookie: string;
  res: Response;
}

/** Signs a new user up through the API. */
export async function signUp(
  app: Express,
  overrides: Partial<Credentials> = {},
): Promise<SignedUp> {
  const credentials = buildCredentials(overrides);
  const res = await request(app).post('/api/users/signup').send(credentials).expect(201);
  return {
    id: (res.body as { id: string }).id,
    email: (res.body as { email: string }).email,
    password: credentials.password,
    cookie: sessionCookieFrom(res),
    res,
  };
}
