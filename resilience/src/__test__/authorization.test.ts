import { randomBytes } from 'node:crypto';
import { openApiChecker } from '@taskforge/common/testing';
import type { Answer } from '../support/http';
import {
  call,
  eventually,
  PASSWORD,
  signUp,
  startSuite,
  verifyEmail,
  type Person,
  type Suite,
} from '../support/suite';
import type { ServiceName } from '../support/services';

/*
 * The authorization sweep: every operation of every service's OpenAPI document (as served),
 * requested as someone signed out, an outsider, a team's guest, member and admin (for tickets:
 * the admin owns the ticket, the others do not). Each gets exactly the status this table says,
 * which must be one the document lists, with a body that matches it. An operation missing from
 * the table fails the sweep, so a new route cannot be forgotten.
 */
const ACTORS = ['anonymous', 'outsider', 'guest', 'member', 'admin'] as const;
type Actor = (typeof ACTORS)[number];
type Statuses = Record<Actor, number>;

interface World {
  suite: Suite;
  people: Record<Exclude<Actor, 'anonymous'>, Person>;
  spares: Person[];
  teamId: string;
  taskId: string;
  commentId: string;
  ticketId: string;
  notificationId: string;
}

interface Case {
  expect: Statuses;
  /** The request for this actor; may make fresh data first (a delete needs its own target). */
  request: (
    w: World,
    actor: Actor,
  ) => Promise<{ path: string; body?: unknown }> | { path: string; body?: unknown };
  /** What else must hold: nobody sees or changes another's data. */
  check?: (res: Answer<unknown>, actor: Actor, w: World) => void;
  /** The session to send instead of the actor's own (an operation that would end it). */
  cookie?: (w: World, actor: Actor) => Promise<string | undefined>;
}

const all = (status: number): Statuses => ({
  anonymous: status,
  outsider: status,
  guest: status,
  member: status,
  admin: status,
});
const signedIn = (status: number): Statuses => ({ ...all(status), anonymous: 401 });
const team = (guest: number, member: number, admin: number): Statuses => ({
  anonymous: 401,
  outsider: 404,
  guest,
  member,
  admin,
});
const randomId = () => randomBytes(12).toString('hex');
const cookieOf = (w: World, actor: Actor) =>
  actor === 'anonymous' ? undefined : w.people[actor].cookie;

async function asAdmin<T>(
  w: World,
  service: ServiceName,
  method: string,
  path: string,
  body?: unknown,
) {
  const res = await call<T>(w.suite.urls[service], method, path, {
    cookie: w.people.admin.cookie,
    body,
  });
  if (res.status >= 300)
    throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

const freshTask = (w: World) =>
  asAdmin<{ id: string }>(w, 'tasks', 'POST', '/api/tasks', { teamId: w.teamId, title: 'Fresh' });

const CASES: Record<string, Case> = {
  // auth: each person only ever sees and changes their own account.
  'POST /api/users/signup': {
    expect: all(201),
    request: () => ({
      path: '/api/users/signup',
      body: { email: `new-${randomId()}@example.test`, password: 'a-long-password' },
    }),
  },
  'POST /api/users/signin': {
    expect: all(400),
    // Someone else's email with a wrong password: nobody gets in as another.
    request: (w) => ({
      path: '/api/users/signin',
      body: { email: w.people.member.email, password: 'not-the-password' },
    }),
  },
  'POST /api/users/signout': { expect: all(200), request: () => ({ path: '/api/users/signout' }) },
  'POST /api/users/password-reset': {
    // The same answer whoever asks, for any address; a fresh one each (limited per address).
    expect: all(202),
    request: () => ({
      path: '/api/users/password-reset',
      body: { email: `reset-${randomId()}@example.test` },
    }),
  },
  'POST /api/users/password-reset/confirm': {
    // Without the emailed token nobody sets anyone's password, signed in or not.
    expect: all(400),
    request: () => ({
      path: '/api/users/password-reset/confirm',
      body: { token: randomBytes(32).toString('base64url'), password: 'a-long-new-password' },
    }),
  },
  'POST /api/users/signout-everywhere': {
    expect: signedIn(200),
    // An account of its own per actor: ending the sweep's people's sessions would end the sweep
    // (which goes on with their cookies, so it also shows no one else's session ended).
    cookie: async (w, actor) =>
      actor === 'anonymous' ? undefined : (await signUp(w.suite, `ends-${actor}`)).cookie,
    request: () => ({ path: '/api/users/signout-everywhere' }),
  },
  'DELETE /api/users/me': {
    expect: signedIn(204),
    // Like signing out everywhere, on an account of its own per actor: the route only ever acts
    // on the session's own account, so no actor can delete another's.
    cookie: async (w, actor) =>
      actor === 'anonymous' ? undefined : (await signUp(w.suite, `deletes-${actor}`)).cookie,
    request: () => ({ path: '/api/users/me', body: { password: PASSWORD } }),
  },
  'POST /api/users/me/email-verification': {
    // The world's people are verified (409 for them): a fresh, unverified account per actor,
    // which gets a new link for its own address.
    expect: signedIn(202),
    cookie: async (w, actor) =>
      actor === 'anonymous' ? undefined : (await signUp(w.suite, `resends-${actor}`)).cookie,
    request: () => ({ path: '/api/users/me/email-verification' }),
  },
  'POST /api/users/me/email': {
    // With the password of an account of its own per actor: the link goes to the new address,
    // and the account keeps its own until it is opened.
    expect: signedIn(202),
    cookie: async (w, actor) =>
      actor === 'anonymous' ? undefined : (await signUp(w.suite, `moves-${actor}`)).cookie,
    request: () => ({
      path: '/api/users/me/email',
      body: { email: `moved-${randomId()}@example.test`, password: PASSWORD },
    }),
    check: (res, actor) => {
      if (actor === 'anonymous') return;
      const body = res.body as { email: string; pendingEmail: string | null };
      expect(body.email).toMatch(new RegExp(`^moves-${actor}-`));
      expect(body.pendingEmail).toMatch(/^moved-/);
    },
  },
  'POST /api/users/email-verification/confirm': {
    // Without the emailed token nobody verifies an address, signed in or not.
    expect: all(400),
    request: () => ({
      path: '/api/users/email-verification/confirm',
      body: { token: randomBytes(32).toString('base64url') },
    }),
  },
  'GET /api/users/currentuser': {
    expect: all(200),
    request: () => ({ path: '/api/users/currentuser' }),
    check: (res, actor, w) =>
      expect((res.body as { currentUser: { id: string } | null }).currentUser?.id).toBe(
        actor === 'anonymous' ? undefined : w.people[actor].id,
      ),
  },
  'GET /api/users/me': {
    expect: signedIn(200),
    request: () => ({ path: '/api/users/me' }),
    check: (res, actor, w) => {
      if (actor !== 'anonymous') expect((res.body as { id: string }).id).toBe(w.people[actor].id);
    },
  },
  'PATCH /api/users/me': {
    expect: signedIn(200),
    request: (_w, actor) => ({ path: '/api/users/me', body: { bio: `I am the ${actor}` } }),
    check: (res, actor, w) => {
      if (actor !== 'anonymous') expect((res.body as { id: string }).id).toBe(w.people[actor].id);
    },
  },
  'POST /api/users/me/password': {
    expect: signedIn(400),
    request: () => ({
      path: '/api/users/me/password',
      body: { currentPassword: 'not-the-password', newPassword: 'another-long-password' },
    }),
  },
  'GET /api/users/{id}': {
    expect: all(200),
    request: (w) => ({ path: `/api/users/${w.people.member.id}` }),
    check: (res) => expect(Object.keys(res.body as object)).not.toContain('email'),
  },

  // tickets: anyone reads; only the owner (the admin here) changes.
  'GET /api/tickets': { expect: all(200), request: () => ({ path: '/api/tickets' }) },
  'GET /api/tickets/{id}': {
    expect: all(200),
    request: (w) => ({ path: `/api/tickets/${w.ticketId}` }),
  },
  'POST /api/tickets': {
    expect: signedIn(201),
    request: () => ({ path: '/api/tickets', body: { title: 'Mine', price: 5 } }),
  },
  'PUT /api/tickets/{id}': {
    expect: { anonymous: 401, outsider: 403, guest: 403, member: 403, admin: 200 },
    request: (w) => ({
      path: `/api/tickets/${w.ticketId}`,
      body: { title: 'Owner edit', price: 7 },
    }),
  },
  'DELETE /api/tickets/{id}': {
    expect: { anonymous: 401, outsider: 403, guest: 403, member: 403, admin: 204 },
    request: async (w) => {
      const ticket = await asAdmin<{ id: string }>(w, 'tickets', 'POST', '/api/tickets', {
        title: 'To delete',
        price: 3,
      });
      return { path: `/api/tickets/${ticket.id}` };
    },
  },

  // teams
  'GET /api/teams': {
    expect: signedIn(200),
    request: () => ({ path: '/api/teams' }),
    check: (res, actor, w) => {
      if (actor === 'anonymous') return;
      const ids = (res.body as Array<{ id: string }>).map((t) => t.id);
      expect(ids.includes(w.teamId)).toBe(actor !== 'outsider');
    },
  },
  'POST /api/teams': {
    expect: signedIn(201),
    request: () => ({ path: '/api/teams', body: { name: 'Own team' } }),
  },
  'GET /api/teams/{id}': {
    expect: team(200, 200, 200),
    request: (w) => ({ path: `/api/teams/${w.teamId}` }),
  },
  'PATCH /api/teams/{id}': {
    expect: team(403, 403, 200),
    request: (w) => ({ path: `/api/teams/${w.teamId}`, body: { description: 'Edited' } }),
  },
  'DELETE /api/teams/{id}': {
    expect: team(403, 403, 204),
    request: async (w) => {
      const fresh = await asAdmin<{ id: string }>(w, 'teams', 'POST', '/api/teams', {
        name: 'Doomed',
      });
      for (const role of ['guest', 'member'] as const) {
        await asAdmin(w, 'teams', 'POST', `/api/teams/${fresh.id}/members`, {
          email: w.people[role].email,
          role,
        });
      }
      return { path: `/api/teams/${fresh.id}` };
    },
  },
  'GET /api/teams/{id}/members': {
    expect: team(200, 200, 200),
    request: (w) => ({ path: `/api/teams/${w.teamId}/members` }),
  },
  'POST /api/teams/{id}/members': {
    expect: team(403, 403, 201),
    request: (w) => ({
      path: `/api/teams/${w.teamId}/members`,
      body: { email: w.spares.pop()!.email, role: 'member' },
    }),
  },
  'PATCH /api/teams/{id}/members/{userId}': {
    expect: team(403, 403, 200),
    request: (w) => ({
      path: `/api/teams/${w.teamId}/members/${w.people.member.id}`,
      body: { role: 'member' },
    }),
  },
  'DELETE /api/teams/{id}/members/{userId}': {
    expect: team(403, 403, 204),
    request: async (w) => {
      const spare = w.spares.pop()!;
      await asAdmin(w, 'teams', 'POST', `/api/teams/${w.teamId}/members`, {
        email: spare.email,
        role: 'member',
      });
      return { path: `/api/teams/${w.teamId}/members/${spare.id}` };
    },
  },
  'GET /api/teams/{id}/permissions': {
    expect: team(200, 200, 200),
    request: (w) => ({ path: `/api/teams/${w.teamId}/permissions` }),
  },
  'PUT /api/teams/{id}/permissions': {
    expect: team(403, 403, 200),
    request: (w) => ({
      path: `/api/teams/${w.teamId}/permissions`,
      body: {
        permissions: {
          admin: [
            'task.create',
            'task.update',
            'task.delete',
            'task.assign',
            'comment.create',
            'member.manage',
            'team.update',
            'team.delete',
            'audit.read',
          ],
          member: ['task.create', 'task.update', 'task.assign', 'comment.create'],
          guest: [],
        },
      },
    }),
  },
  'GET /api/teams/{id}/audit': {
    expect: team(403, 403, 200),
    request: (w) => ({ path: `/api/teams/${w.teamId}/audit` }),
  },

  // tasks: strangers get 404 (a team's tasks do not exist for them), guests read only.
  'GET /api/tasks': {
    expect: team(200, 200, 200),
    request: (w) => ({ path: `/api/tasks?teamId=${w.teamId}` }),
  },
  'POST /api/tasks': {
    expect: team(403, 201, 201),
    request: (w) => ({ path: '/api/tasks', body: { teamId: w.teamId, title: 'New' } }),
  },
  'GET /api/tasks/stats': {
    expect: team(200, 200, 200),
    request: (w) => ({ path: `/api/tasks/stats?teamId=${w.teamId}` }),
  },
  'GET /api/tasks/{id}': {
    expect: team(200, 200, 200),
    request: (w) => ({ path: `/api/tasks/${w.taskId}` }),
  },
  'PATCH /api/tasks/{id}': {
    expect: team(403, 200, 200),
    request: (w, actor) => ({
      path: `/api/tasks/${w.taskId}`,
      body: { title: `Edited by ${actor}` },
    }),
  },
  'DELETE /api/tasks/{id}': {
    expect: team(403, 403, 204),
    request: async (w) => ({ path: `/api/tasks/${(await freshTask(w)).id}` }),
  },
  'GET /api/tasks/{id}/comments': {
    expect: team(200, 200, 200),
    request: (w) => ({ path: `/api/tasks/${w.taskId}/comments` }),
  },
  'POST /api/tasks/{id}/comments': {
    expect: team(403, 201, 201),
    request: (w) => ({ path: `/api/tasks/${w.taskId}/comments`, body: { content: 'A comment' } }),
  },
  'PATCH /api/tasks/{id}/comments/{commentId}': {
    // Only the author (the member) edits a comment, not even an admin.
    expect: team(403, 200, 403),
    request: (w) => ({
      path: `/api/tasks/${w.taskId}/comments/${w.commentId}`,
      body: { content: 'Edited' },
    }),
  },
  'DELETE /api/tasks/{id}/comments/{commentId}': {
    expect: team(403, 204, 204),
    request: async (w) => {
      const res = await call<{ id: string }>(
        w.suite.urls.tasks,
        'POST',
        `/api/tasks/${w.taskId}/comments`,
        {
          cookie: w.people.member.cookie,
          body: { content: 'To delete' },
        },
      );
      return { path: `/api/tasks/${w.taskId}/comments/${res.body.id}` };
    },
  },
  'GET /api/tasks/{id}/activity': {
    expect: team(200, 200, 200),
    request: (w) => ({ path: `/api/tasks/${w.taskId}/activity` }),
  },
  'POST /api/tasks/{id}/attachments': {
    expect: team(403, 201, 201),
    request: (w) => ({
      path: `/api/tasks/${w.taskId}/attachments`,
      body: { name: 'notes.txt', size: 12, mimetype: 'text/plain' },
    }),
  },
  'POST /api/tasks/{id}/attachments/{attachmentId}/confirm': {
    expect: team(403, 404, 404),
    request: (w) => ({ path: `/api/tasks/${w.taskId}/attachments/${randomId()}/confirm` }),
  },
  'GET /api/tasks/{id}/attachments/{attachmentId}': {
    expect: team(404, 404, 404),
    request: (w) => ({ path: `/api/tasks/${w.taskId}/attachments/${randomId()}` }),
  },
  'DELETE /api/tasks/{id}/attachments/{attachmentId}': {
    expect: team(403, 404, 404),
    request: (w) => ({ path: `/api/tasks/${w.taskId}/attachments/${randomId()}` }),
  },

  // notifications: each inbox is its owner's alone (the member's notification here).
  'GET /api/notifications': {
    expect: signedIn(200),
    request: () => ({ path: '/api/notifications' }),
    check: (res, actor, w) => {
      if (actor === 'anonymous') return;
      const ids = (res.body as Array<{ id: string }>).map((n) => n.id);
      expect(ids.includes(w.notificationId)).toBe(actor === 'member');
    },
  },
  'GET /api/notifications/unread-count': {
    expect: signedIn(200),
    request: () => ({ path: '/api/notifications/unread-count' }),
  },
  'POST /api/notifications/read-all': {
    expect: signedIn(200),
    request: () => ({ path: '/api/notifications/read-all' }),
  },
  'POST /api/notifications/{id}/read': {
    expect: { anonymous: 401, outsider: 404, guest: 404, member: 200, admin: 404 },
    request: (w) => ({ path: `/api/notifications/${w.notificationId}/read` }),
  },
  'GET /api/notifications/stream': {
    expect: signedIn(200),
    request: () => ({ path: '/api/notifications/stream' }),
  },
};

const SERVICES: Array<[ServiceName, string]> = [
  ['auth', '/api/users/docs.json'],
  ['tickets', '/api/tickets/docs.json'],
  ['teams', '/api/teams/docs.json'],
  ['tasks', '/api/tasks/docs.json'],
  ['notifications', '/api/notifications/docs.json'],
];

interface Operation {
  service: ServiceName;
  method: string;
  path: string;
  documented: string[];
  /** The security requirements that apply: the operation's own, else the document's. */
  security: Array<Record<string, string[]>>;
}

type SecurityRequirements = Array<Record<string, string[]>>;
interface ServedDocument {
  security?: SecurityRequirements;
  components?: { securitySchemes?: Record<string, { type: string; in?: string; name?: string }> };
  paths: Record<
    string,
    Record<string, { responses: Record<string, unknown>; security?: SecurityRequirements }>
  >;
}

let world: World;
const documents = new Map<ServiceName, ServedDocument>();

beforeAll(async () => {
  const suite = await startSuite();
  const [admin, member, guest, outsider, ...spares] = await Promise.all(
    [
      'admin',
      'member',
      'guest',
      'outsider',
      ...Array.from({ length: 14 }, (_, i) => `spare${i}`),
    ].map((name) => signUp(suite, name)),
  );
  const people = { admin: admin!, member: member!, guest: guest!, outsider: outsider! };
  const w = { suite, people, spares } as World;
  // Each opens the link of their sign-up, so the admin can add them by email; teams' directory
  // knows them, verified, once this resolves.
  await verifyEmail(suite, ...Object.values(people), ...spares);
  w.teamId = (
    await asAdmin<{ id: string }>(w, 'teams', 'POST', '/api/teams', { name: 'Sweep' })
  ).id;
  for (const role of ['member', 'guest'] as const) {
    await asAdmin(w, 'teams', 'POST', `/api/teams/${w.teamId}/members`, {
      email: people[role].email,
      role,
    });
  }
  await eventually(
    () => call(suite.urls.tasks, 'GET', `/api/tasks?teamId=${w.teamId}`, { cookie: guest!.cookie }),
    200,
  );
  w.taskId = (
    await asAdmin<{ id: string }>(w, 'tasks', 'POST', '/api/tasks', {
      teamId: w.teamId,
      title: 'Swept',
      assigneeId: member!.id,
    })
  ).id;
  const comment = await call<{ id: string }>(
    suite.urls.tasks,
    'POST',
    `/api/tasks/${w.taskId}/comments`,
    {
      cookie: member!.cookie,
      body: { content: 'By the member' },
    },
  );
  w.commentId = comment.body.id;
  w.ticketId = (
    await asAdmin<{ id: string }>(w, 'tickets', 'POST', '/api/tickets', {
      title: 'Owned',
      price: 9,
    })
  ).id;
  let notificationId: string | undefined;
  await eventually(async () => {
    const res = await call<Array<{ id: string }>>(
      suite.urls.notifications,
      'GET',
      '/api/notifications',
      {
        cookie: member!.cookie,
      },
    );
    notificationId = Array.isArray(res.body) ? res.body[0]?.id : undefined;
    return { status: notificationId ? 200 : 404 };
  }, 200);
  w.notificationId = notificationId!;
  for (const [service, path] of SERVICES) {
    documents.set(service, (await call(suite.urls[service], 'GET', path)).body as never);
  }
  world = w;
}, 180_000);

afterAll(async () => {
  await world?.suite.stop();
});

function operations(): Operation[] {
  const list: Operation[] = [];
  for (const [service] of SERVICES) {
    const document = documents.get(service)!;
    for (const [path, item] of Object.entries(document.paths)) {
      for (const [method, op] of Object.entries(item)) {
        if (op && typeof op === 'object' && 'responses' in op) {
          list.push({
            service,
            method,
            path,
            documented: Object.keys(op.responses),
            security: op.security ?? document.security ?? [],
          });
        }
      }
    }
  }
  return list;
}

it('has an expectation for every operation of every document, each status documented', () => {
  const ops = operations();
  expect(ops.length).toBeGreaterThan(40);
  const keys = ops.map((op) => `${op.method.toUpperCase()} ${op.path}`);
  expect(keys.filter((key) => !CASES[key])).toEqual([]);
  expect(Object.keys(CASES).filter((key) => !keys.includes(key))).toEqual([]);
  const undocumented = ops.flatMap((op) =>
    Object.entries(CASES[`${op.method.toUpperCase()} ${op.path}`]!.expect)
      .filter(([, status]) => !op.documented.includes(String(status)))
      .map(([actor, status]) => `${op.method} ${op.path} ${actor} ${status}`),
  );
  expect(undocumented).toEqual([]);
});

it('declares the session cookie on exactly the operations that answer 401 when signed out', () => {
  // Clients and fuzzers (Schemathesis) read `security` to know which requests need the cookie.
  const wrong = operations().flatMap((op) => {
    const key = `${op.method.toUpperCase()} ${op.path}`;
    const schemes = documents.get(op.service)!.components?.securitySchemes ?? {};
    const names = op.security.flatMap((requirement) => Object.keys(requirement));
    const usesSession =
      names.length > 0 &&
      names.every((name) => schemes[name]?.in === 'cookie' && schemes[name]?.name === 'session');
    return usesSession === (CASES[key]!.expect.anonymous === 401) ? [] : [key];
  });
  expect(wrong).toEqual([]);
});

it('answers every operation, for every actor, exactly as documented', async () => {
  const failures: string[] = [];
  for (const op of operations()) {
    const key = `${op.method.toUpperCase()} ${op.path}`;
    const sweep = CASES[key]!;
    const check = openApiChecker(documents.get(op.service)!);
    for (const actor of ACTORS) {
      const { path, body } = await sweep.request(world, actor);
      const url = world.suite.urls[op.service];
      const cookie = sweep.cookie ? await sweep.cookie(world, actor) : cookieOf(world, actor);
      let res: Answer<unknown>;
      if (op.path.endsWith('/stream')) {
        // An event stream never ends: the status and headers say enough.
        const controller = new AbortController();
        const raw = await fetch(`${url}${path}`, {
          headers: cookieOf(world, actor) ? { cookie: cookieOf(world, actor)! } : {},
          signal: controller.signal,
        });
        res = {
          status: raw.status,
          body: raw.status === 200 ? {} : await raw.json(),
          headers: raw.headers,
        };
        controller.abort();
      } else {
        res = await call(url, op.method.toUpperCase(), path, { cookie, body });
      }
      const label = `${key} as ${actor}`;
      if (res.status !== sweep.expect[actor]) {
        failures.push(
          `${label}: ${res.status}, expected ${sweep.expect[actor]} ${JSON.stringify(res.body)}`,
        );
        continue;
      }
      try {
        if (!op.path.endsWith('/stream')) check(op.method, op.path, res);
        sweep.check?.(res, actor, world);
      } catch (err) {
        failures.push(`${label}: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
  }
  expect(failures).toEqual([]);
}, 240_000);

it('adds an account to a team by email only once it verified its address; by id, as before', async () => {
  const [unverified, byId] = await Promise.all([
    signUp(world.suite, 'unverified'),
    signUp(world.suite, 'by-id'),
  ]);
  const { id: teamId } = await asAdmin<{ id: string }>(world, 'teams', 'POST', '/api/teams', {
    name: 'Verified only',
  });
  const add = (target: { email: string } | { userId: string }) =>
    call(world.suite.urls.teams, 'POST', `/api/teams/${teamId}/members`, {
      cookie: world.people.admin.cookie,
      body: { ...target, role: 'member' },
    });
  // 404 until teams' directory has the account, then the refusal: it names nobody.
  let refused: Answer<unknown> | undefined;
  await eventually(async () => (refused = await add({ email: unverified.email })), 400);
  expect(refused!.body).toEqual({
    errors: [
      {
        message:
          'This person has not verified their email address yet; they can be added once they have',
        field: 'email',
      },
    ],
  });
  await verifyEmail(world.suite, unverified);
  expect((await add({ email: unverified.email })).status).toBe(201);
  await eventually(() => add({ userId: byId.id }), 201);
});
