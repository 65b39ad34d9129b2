import type { Express } from 'express';
import request, { type Test } from 'supertest';
import type { TestUser } from './factories';

/** The documented paths of the member routes, as `expectDocumented` takes them. */
export const MEMBERS_PATH = '/api/teams/{id}/members';
export const MEMBER_PATH = '/api/teams/{id}/members/{userId}';

/** The requests of the member routes, as `user` (signed out without one); `app` is read per request. */
export function memberRequests(app: () => Express) {
  const as = (req: Test, user?: TestUser) => (user ? req.set('Cookie', user.cookie) : req);
  const list = (teamId: string, user?: TestUser, query = '') =>
    as(request(app()).get(`/api/teams/${teamId}/members${query}`), user);
  const post = (teamId: string, body: unknown, user?: TestUser) =>
    as(request(app()).post(`/api/teams/${teamId}/members`), user).send(body as object);
  const patch = (teamId: string, userId: string, body: unknown, user?: TestUser) =>
    as(request(app()).patch(`/api/teams/${teamId}/members/${userId}`), user).send(body as object);
  const remove = (teamId: string, userId: string, user?: TestUser) =>
    as(request(app()).delete(`/api/teams/${teamId}/members/${userId}`), user);
  return { list, post, patch, remove };
}
