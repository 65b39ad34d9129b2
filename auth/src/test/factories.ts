import { randomBytes } from 'node:crypto';
import type { EventEnvelope } from '@taskforge/common';
import { readEvents, waitFor } from '@taskforge/common/testing';
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

type ResetEvent = EventEnvelope<'password-reset.requested'>;
type VerificationEvent = EventEnvelope<'email-verification.requested'>;

/** The reset events published for a user, oldest first, once there are `count` of them. */
export async function resetEventsFor(
  natsUrl: string,
  userId: string,
  count = 1,
): Promise<ResetEvent[]> {
  return waitFor(async () => {
    const events = (await readEvents(natsUrl, 'password-reset.requested')).filter(
      (e) => (e as ResetEvent).data.userId === userId,
    ) as ResetEvent[];
    return events.length >= count ? events : undefined;
  });
}

/** The verification links mailed for a user, oldest first, once there are `count` of them. */
export async function verificationLinksFor(
  natsUrl: string,
  userId: string,
  count = 1,
): Promise<VerificationEvent['data'][]> {
  return waitFor(async () => {
    const events = (await readEvents(natsUrl, 'email-verification.requested'))
      .map((e) => (e as VerificationEvent).data)
      .filter((data) => data.userId === userId);
    return events.length >= count ? events : undefined;
  });
}
