import type { Express } from 'express';
import request from 'supertest';
import type { SignedUp } from './factories';

/**
 * The requests of proving an address: open a mailed link (`confirm`, signed in with `cookie` or
 * not), read the account (`me`), ask for the link again, change the address. `app` is read per
 * request; a test may pass another app (other limits) to the last two.
 */
export function verificationRequests(app: () => Express) {
  const confirm = (token: unknown, cookie?: string) => {
    const req = request(app()).post('/api/users/email-verification/confirm');
    return (cookie ? req.set('Cookie', cookie) : req).send({ token });
  };
  const me = (cookie: string) => request(app()).get('/api/users/me').set('Cookie', cookie);
  const resend = (user: SignedUp, other = app()) =>
    request(other).post('/api/users/me/email-verification').set('Cookie', user.cookie);
  const changeEmail = (user: SignedUp, body: object, other = app()) =>
    request(other).post('/api/users/me/email').set('Cookie', user.cookie).send(body);
  return { confirm, me, resend, changeEmail };
}
