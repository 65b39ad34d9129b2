import request from 'supertest';
import { DEFAULT_ROLE_PERMISSIONS } from '../../models/teams';
import { directoryUser, rowsOf, teamWithRoles, type TeamWithRoles } from '../../test/factories';
import { expectDocumented } from '../../test/openapi';
import { setupTeamsTest, type TeamsTestContext } from '../../test/setup';

let ctx: TeamsTestContext;

beforeAll(async () => {
  ctx = await setupTeamsTest({ relay: false });
});
beforeEach(() => ctx.reset());
afterAll(() => ctx.close());

type Caller = 'admin' | 'member' | 'guest' | 'outsider';

interface Action {
  method: 'get' | 'post' | 'patch' | 'put' | 'delete';
  /** The documented path, and the real one for a team with these users. */
  path: string;
  url: (s: TeamWithRoles, caller: Caller) => Promise<string> | string;
  body?: (s: TeamWithRoles) => Promise<object> | object;
}

const team = (s: TeamWithRoles) => `/api/teams/${s.team.id}`;

const ACTIONS: Record<string, Action> = {
  'view the team': { method: 'get', path: '/api/teams/{id}', url: team },
  'list members': {
    method: 'get',
    path: '/api/teams/{id}/members',
    url: (s) => `${team(s)}/members`,
  },
  'view permissions': {
    method: 'get',
    path: '/api/teams/{id}/permissions',
    url: (s) => `${team(s)}/permissions`,
  },
  'rename the team': {
    method: 'patch',
    path: '/api/teams/{id}',
    url: team,
    body: () => ({ name: 'Renamed' }),
  },
  'add a member': {
    method: 'post',
    path: '/api/teams/{id}/members',
    url: (s) => `${team(s)}/members`,
    body: async () => ({ userId: (await directoryUser(ctx.pool)).id, role: 'guest' }),
  },
  'change a guest’s role': {
    method: 'patch',
    path: '/api/teams/{id}/members/{userId}',
    url: (s) => `${team(s)}/members/${s.guest.id}`,
    body: () => ({ role: 'member' }),
  },
  'remove a guest': {
    method: 'delete',
    path: '/api/teams/{id}/members/{userId}',
    url: (s, caller) =>
      // A guest removing the guest would be leaving: use a second guest for that row.
      caller === 'guest' ? secondGuestUrl(s) : `${team(s)}/members/${s.guest.id}`,
  },
  'leave the team': {
    method: 'delete',
    path: '/api/teams/{id}/members/{userId}',
    url: (s, caller) => `${team(s)}/members/${s[caller].id}`,
  },
  'change permissions': {
    method: 'put',
    path: '/api/teams/{id}/permissions',
    url: (s) => `${team(s)}/permissions`,
    body: () => ({ permissions: { ...DEFAULT_ROLE_PERMISSIONS, guest: ['comment.create'] } }),
  },
  'read the audit log': {
    method: 'get',
    path: '/api/teams/{id}/audit',
    url: (s) => `${team(s)}/audit`,
  },
  'delete the team': { method: 'delete', path: '/api/teams/{id}', url: team },
};

async function secondGuestUrl(s: TeamWithRoles): Promise<string> {
  const other = await directoryUser(ctx.pool);
  await request(ctx.app)
    .post(`${team(s)}/members`)
    .set('Cookie', s.admin.cookie)
    .send({ userId: other.id, role: 'guest' })
    .expect(201);
  return `${team(s)}/members/${other.id}`;
}

// With the default permissions: admin everything; member and guest read only (members' own
// permissions are about tasks); anyone may leave but the last admin; outsiders see nothing.
const MATRIX: Array<[string, number, number, number, number]> = [
  // action                   admin member guest outsider
  ['view the team', 200, 200, 200, 404],
  ['list members', 200, 200, 200, 404],
  ['view permissions', 200, 200, 200, 404],
  ['rename the team', 200, 403, 403, 404],
  ['add a member', 201, 403, 403, 404],
  ['change a guest’s role', 200, 403, 403, 404],
  ['remove a guest', 204, 403, 403, 404],
  ['leave the team', 409, 204, 204, 404],
  ['change permissions', 200, 403, 403, 404],
  ['read the audit log', 200, 403, 403, 404],
  ['delete the team', 204, 403, 403, 404],
];

const CASES = MATRIX.flatMap(([action, ...statuses]) =>
  (['admin', 'member', 'guest', 'outsider'] as const).map(
    (caller, i) => [action, caller, statuses[i]!] as const,
  ),
);

const outboxSize = async () => (await rowsOf(ctx.pool, 'SELECT 1 FROM outbox')).length;

describe('the role × action permission matrix', () => {
  it.each(CASES)('%s as %s: %i', async (name, caller, status) => {
    const action = ACTIONS[name]!;
    const setup = await teamWithRoles(ctx.app, ctx.pool);
    const url = await action.url(setup, caller);
    const body = action.body ? await action.body(setup) : undefined;
    const before = await outboxSize();

    const req = request(ctx.app)[action.method](url).set('Cookie', setup[caller].cookie);
    const res = body ? await req.send(body) : await req;

    expect(res.status).toBe(status);
    expectDocumented(action.method, action.path, res);
    if (status >= 400) {
      expect(res.body.errors).toHaveLength(1);
      // A refused write leaves no event behind.
      expect(await outboxSize()).toBe(before);
    }
  });
});
