import type { Express } from 'express';
import request from 'supertest';

/** The requests of a forgotten password: ask for a link, then set a password with its token. */
export function passwordResetRequests(app: () => Express) {
  const requestReset = (email: unknown, other = app()) =>
    request(other).post('/api/users/password-reset').send({ email });
  const confirm = (body: object) =>
    request(app()).post('/api/users/password-reset/confirm').send(body);
  return { requestReset, confirm };
}
