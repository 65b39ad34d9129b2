import { EVENT_STREAM, type EventEnvelope } from '@taskforge/common';
import {
  readEvents,
  startNats,
  startPostgres,
  waitFor,
  type ServiceProcess,
  type TestNats,
  type TestPostgres,
} from '@taskforge/common/testing';
import { ApiSession } from '@taskforge/stack/api-session';
import { verifyEmails } from '@taskforge/stack/email-verification';
import mongoose from 'mongoose';
import { Client } from 'pg';
import { checkConvergence, type ConvergeStores } from '../converge';
import { consumerSettled, eventBus } from '../support/events';
import { databaseUrl, startAll, startService } from '../support/services';

/*
 * The owners (auth, teams, tickets; real processes) take a day's writes. Their events are then
 * delivered to the replicas (tasks, notifications, and a second teams building its user
 * directory) on another nats-server in a shuffled order, a third of them twice. The version
 * rule must still make every replica equal to its owner: the checker finds zero differences.
 */
const mongoBase = process.env.MONGO_URL ?? 'mongodb://127.0.0.1:27017';
let owners: TestNats;
let replicas: TestNats;
let ownerPg: TestPostgres;
let directoryPg: TestPostgres;
const processes: ServiceProcess[] = [];
const stores: ConvergeStores = {
  auth: databaseUrl(mongoBase, 'conv_auth'),
  tickets: databaseUrl(mongoBase, 'conv_tickets'),
  tasks: databaseUrl(mongoBase, 'conv_tasks'),
  notifications: databaseUrl(mongoBase, 'conv_notifications'),
  teams: '',
};

beforeAll(async () => {
  [owners, replicas, ownerPg, directoryPg] = await Promise.all([
    startNats(),
    startNats(),
    startPostgres(),
    startPostgres(),
  ]);
  stores.teams = ownerPg.url;
  stores.teamsDirectory = directoryPg.url;
});
afterAll(async () => {
  await Promise.all(processes.map((p) => p.stop()));
  await Promise.all([owners.stop(), replicas.stop(), ownerPg.stop(), directoryPg.stop()]);
  for (const url of [stores.auth, stores.tickets, stores.tasks, stores.notifications]) {
    const connection = await mongoose.createConnection(url).asPromise();
    await connection.dropDatabase();
    await connection.close();
  }
});

/**
 * A day of writes through the owners' APIs: profiles, verified addresses, teams, memberships,
 * tickets. `natsUrl` is the owners' nats-server, where the verification links travel.
 */
async function workload(urls: { auth: string; teams: string; tickets: string }, natsUrl: string) {
  const people = [];
  for (let i = 0; i < 5; i += 1) {
    const session = new ApiSession(urls.auth);
    const email = `conv${i}-${process.pid}@example.test`;
    const me = await session.expect<{ id: string }>(
      'POST',
      '/api/users/signup',
      { email, password: 'converge-password' },
      201,
    );
    for (let v = 0; v < 3; v += 1) {
      await session.expect(
        'PATCH',
        '/api/users/me',
        {
          firstName: `First${v}`,
          lastName: i % 2 ? null : `Last${v}`,
          preferences: { notifications: { email: v % 2 === 0, frequency: 'daily' } },
        },
        200,
      );
    }
    if (i === 4) {
      // One of them ends every other session: user.updated with a session version of 1.
      await session.expect(
        'POST',
        '/api/users/me/password',
        { currentPassword: 'converge-password', newPassword: 'converge-password-2' },
        204,
      );
    }
    people.push({ session, id: me.id, email, cookie: session.cookieHeader() });
  }
  // Each opens the link of the sign-up (user.updated, emailVerified), so the owner can add them
  // by email; teams' directory has them, verified, once this resolves.
  await verifyEmails(
    urls.auth,
    natsUrl,
    people.map((person) => person.id),
  );
  const [owner, ...others] = people;
  const asOwner = (method: string, path: string, body: unknown, status: number) =>
    fetch(`${urls.teams}${path}`, {
      method,
      headers: { cookie: owner!.cookie, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    }).then(async (res) => {
      if (res.status !== status)
        throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
      return res.status === 204 ? undefined : ((await res.json()) as { id: string });
    });
  const teamIds: string[] = [];
  for (let t = 0; t < 3; t += 1) {
    const team = (await asOwner('POST', '/api/teams', { name: `Converge ${t}` }, 201))!;
    teamIds.push(team.id);
    for (const [index, member] of others.entries()) {
      await asOwner(
        'POST',
        `/api/teams/${team.id}/members`,
        { email: member.email, role: index % 2 ? 'guest' : 'member' },
        201,
      );
    }
    await asOwner(
      'PATCH',
      `/api/teams/${team.id}/members/${others[0]!.id}`,
      { role: 'admin' },
      200,
    );
    await asOwner('DELETE', `/api/teams/${team.id}/members/${others[1]!.id}`, undefined, 204);
    await asOwner(
      'POST',
      `/api/teams/${team.id}/members`,
      { email: others[1]!.email, role: 'guest' },
      201,
    );
    await asOwner(
      'PUT',
      `/api/teams/${team.id}/permissions`,
      {
        permissions: {
          admin: ['task.create', 'team.delete', 'team.update', 'member.manage'],
          member: ['task.create'],
          guest: [],
        },
      },
      200,
    );
    await asOwner('PATCH', `/api/teams/${team.id}`, { name: `Converge ${t} renamed` }, 200);
  }
  await asOwner('DELETE', `/api/teams/${teamIds[2]}`, undefined, 204);

  for (const [i, person] of people.entries()) {
    const id = await fetch(`${urls.tickets}/api/tickets`, {
      method: 'POST',
      headers: { cookie: person.cookie, 'content-type': 'application/json' },
      body: JSON.stringify({ title: `Seat ${i}`, price: 20 + i }),
    }).then(async (res) => ((await res.json()) as { id: string }).id);
    for (let v = 0; v < 2; v += 1) {
      await fetch(`${urls.tickets}/api/tickets/${id}`, {
        method: 'PUT',
        headers: { cookie: person.cookie, 'content-type': 'application/json' },
        body: JSON.stringify({ title: `Seat ${i} v${v}`, price: 30 + v }),
      });
    }
    if (i % 2 === 0) {
      await fetch(`${urls.tickets}/api/tickets/${id}`, {
        method: 'DELETE',
        headers: { cookie: person.cookie },
      });
    }
  }

  // One more joins two teams, sells a ticket and deletes the account: teams ends the memberships
  // (member.removed), tickets withdraws the ticket, every copy of the user becomes a tombstone.
  const leaver = new ApiSession(urls.auth);
  const leaverEmail = `conv-leaver-${process.pid}@example.test`;
  const left = await leaver.expect<{ id: string }>(
    'POST',
    '/api/users/signup',
    { email: leaverEmail, password: 'converge-password' },
    201,
  );
  await leaver.expect('PATCH', '/api/users/me', { firstName: 'Leaving', lastName: 'Soon' }, 200);
  await verifyEmails(urls.auth, natsUrl, [left.id]);
  for (const teamId of teamIds.slice(0, 2)) {
    await asOwner('POST', `/api/teams/${teamId}/members`, { email: leaverEmail }, 201);
  }
  await fetch(`${urls.tickets}/api/tickets`, {
    method: 'POST',
    headers: { cookie: leaver.cookieHeader(), 'content-type': 'application/json' },
    body: JSON.stringify({ title: 'Spare seat', price: 12 }),
  });
  await leaver.expect('DELETE', '/api/users/me', { password: 'converge-password' }, 204);
  return left.id;
}

/** No owner holds an unpublished event: auth's and tickets' documents, teams' outbox table. */
async function outboxesDrained(): Promise<boolean> {
  for (const url of [stores.auth, stores.tickets]) {
    const connection = await mongoose.createConnection(url).asPromise();
    try {
      for (const { name } of await connection.listCollections()) {
        const waiting = await connection
          .collection(name)
          .countDocuments({ 'outbox.0': { $exists: true } });
        if (waiting > 0) return false;
      }
    } finally {
      await connection.close();
    }
  }
  const pg = new Client({ connectionString: stores.teams });
  await pg.connect();
  try {
    const { rows } = await pg.query<{ waiting: number }>(
      'SELECT count(*)::int AS waiting FROM outbox WHERE published_at IS NULL',
    );
    return rows[0]!.waiting === 0;
  } finally {
    await pg.end();
  }
}

/** Every stored event, shuffled, a third of them twice (as separate messages). */
function shuffledWithDuplicates(
  events: EventEnvelope[],
): Array<{ event: EventEnvelope; copy: number }> {
  const deliveries = events.flatMap((event, i) =>
    i % 3 === 0
      ? [
          { event, copy: 0 },
          { event, copy: 1 },
        ]
      : [{ event, copy: 0 }],
  );
  // A fixed-seed shuffle, so a failure can be replayed.
  let seed = 20_261_122;
  const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
  for (let i = deliveries.length - 1; i > 0; i -= 1) {
    const j = Math.floor(random() * (i + 1));
    [deliveries[i], deliveries[j]] = [deliveries[j]!, deliveries[i]!];
  }
  return deliveries;
}

it('converges every replica to its owner despite duplicated and reordered deliveries', async () => {
  const [auth, teams, tickets] = await startAll([
    startService('auth', { MONGO_URL: stores.auth, NATS_URL: owners.url }),
    startService('teams', { DATABASE_URL: stores.teams, NATS_URL: owners.url }),
    startService('tickets', { MONGO_URL: stores.tickets, NATS_URL: owners.url }),
  ]);
  processes.push(auth, teams, tickets);
  const leaverId = await workload(
    { auth: auth.url, teams: teams.url, tickets: tickets.url },
    owners.url,
  );
  // teams has ended the deleted account's memberships (their member.removed are in its outbox).
  await waitFor(
    async () => {
      const pg = new Client({ connectionString: stores.teams });
      await pg.connect();
      try {
        const { rows } = await pg.query<{ active: number }>(
          'SELECT count(*)::int AS active FROM team_memberships WHERE user_id = $1 AND removed_at IS NULL',
          [leaverId],
        );
        return rows[0]!.active === 0;
      } finally {
        await pg.end();
      }
    },
    { timeoutMs: 60_000, intervalMs: 500 },
  );

  // Everything the owners wrote is on the stream: outboxes drained, nothing more coming.
  await waitFor(outboxesDrained, { timeoutMs: 60_000, intervalMs: 500 });
  const ownersBus = await eventBus(owners.url);
  let events: EventEnvelope[] = [];
  await waitFor(
    async () => {
      const count = (await ownersBus.jsm.streams.info(EVENT_STREAM)).state.messages;
      const stable = count === events.length && count > 0;
      if (!stable) events = await readEvents(owners.url);
      return stable;
    },
    { timeoutMs: 30_000, intervalMs: 1500 },
  );
  // tickets and auth keep their copies (users; teams and roles) from the owners' stream itself.
  for (const durable of ['tickets', 'auth']) await consumerSettled(ownersBus, durable, 120_000);
  await ownersBus.close();

  const replicaBus = await eventBus(replicas.url);
  for (const { event, copy } of shuffledWithDuplicates(events)) {
    // A copy gets its own message id, or JetStream would drop it as a duplicate publish.
    await replicaBus.js.publish(event.subject, JSON.stringify(event), {
      msgID: copy === 0 ? event.id : `${event.id}:copy`,
    });
  }
  const consumers = await startAll([
    startService('tasks', { MONGO_URL: stores.tasks, NATS_URL: replicas.url }),
    startService('notifications', { MONGO_URL: stores.notifications, NATS_URL: replicas.url }),
    startService('teams', { DATABASE_URL: stores.teamsDirectory!, NATS_URL: replicas.url }),
  ]);
  processes.push(...consumers);
  for (const durable of ['tasks', 'notifications', 'teams']) {
    await consumerSettled(replicaBus, durable, 120_000);
  }
  await replicaBus.close();

  const report = await checkConvergence(stores);
  expect(report.differences).toEqual([]);
  // It did compare something: every user, team, membership and ticket.
  expect(report.checked).toMatchObject({
    'teams users': 6,
    'tasks users': 6,
    'notifications users': 6,
    'tickets users': 6,
    'tasks teams': 2,
    'tasks tickets': 6,
    'auth teams': 2,
  });
  expect(report.checked['auth memberships']).toBeGreaterThanOrEqual(10);
  expect(report.checked['tasks memberships']).toBeGreaterThanOrEqual(10);

  // And the checker does see a replica that drifted.
  const tasksDb = await mongoose.createConnection(stores.tasks).asPromise();
  const drifted = await tasksDb.collection('memberships').findOne({ active: true });
  await tasksDb
    .collection('memberships')
    .updateOne({ _id: drifted!._id }, { $set: { role: 'admin', version: 99 } });
  await tasksDb.close();
  const after = await checkConvergence(stores);
  expect(after.differences.length).toBeGreaterThan(0);
  expect(
    after.differences.every(
      (d) => d.replica === 'tasks memberships' && d.id === String(drifted!._id),
    ),
  ).toBe(true);
  expect(after.differences.some((d) => d.problem.startsWith('version: owner'))).toBe(true);
}, 300_000);
