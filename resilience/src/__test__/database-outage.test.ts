import { startNats, waitFor, type ServiceProcess, type TestNats } from '@taskforge/common/testing';
import { eventBus, publisherOf } from '../support/events';
import { call, isErrorShape, user } from '../support/http';
import { startOwnMongo, type OwnMongo } from '../support/own-mongo';
import { startOwnPostgres, type OwnPostgres } from '../support/own-postgres';
import { startService } from '../support/services';

/*
 * A service's database goes away for a while under writes (a server of the test's own, so the
 * shared ones are untouched). Meanwhile /readyz says not ready and requests answer 503 in the
 * common error shape; when the database is back the service recovers without a restart, and
 * every write that was answered 2xx, before, during or after, is still there.
 */
let nats: TestNats;

beforeAll(async () => {
  nats = await startNats();
});
afterAll(async () => {
  await nats.stop();
});

async function expectUnavailable(base: string, check: string) {
  await waitFor(
    async () => {
      const ready = await call<{ status: string; checks: Record<string, string> }>(
        base,
        'GET',
        '/readyz',
      );
      return ready.status === 503 && ready.body.checks[check] === 'unavailable';
    },
    { timeoutMs: 30_000, intervalMs: 250 },
  );
}

const ready = (base: string) =>
  waitFor(async () => (await call(base, 'GET', '/readyz')).status === 200, {
    timeoutMs: 60_000,
    intervalMs: 250,
  });

describe('PostgreSQL stopped under teams', () => {
  let pg: OwnPostgres;
  let teams: ServiceProcess;

  beforeAll(async () => {
    pg = await startOwnPostgres();
    teams = await startService('teams', { DATABASE_URL: pg.url, NATS_URL: nats.url });
  });
  afterAll(async () => {
    await teams?.stop();
    await pg?.destroy();
  });

  it('answers 503 while it is down, recovers by itself, and keeps every acknowledged write', async () => {
    const owner = user();
    const bus = await eventBus(nats.url);
    await publisherOf(bus)('user.created', {
      id: owner.id,
      version: 0,
      email: owner.email,
      preferences: {
        theme: 'system',
        notifications: { email: true, push: true, frequency: 'immediate' },
      },
    });
    await bus.close();
    const acknowledged: string[] = [];
    const create = async (name: string) => {
      const res = await call<{ id: string }>(teams.url, 'POST', '/api/teams', {
        cookie: owner.cookie,
        body: { name },
      });
      if (res.status === 201) acknowledged.push(res.body.id);
      return res;
    };
    // Teams learns of the user through the stream first.
    await waitFor(async () => (await create('Before 0')).status === 201, { timeoutMs: 30_000 });
    for (let i = 1; i < 5; i += 1) expect((await create(`Before ${i}`)).status).toBe(201);

    await pg.stop();
    await expectUnavailable(teams.url, 'postgres');
    for (const res of [
      await create('During'),
      await call(teams.url, 'GET', '/api/teams', { cookie: owner.cookie }),
    ]) {
      expect(res.status).toBe(503);
      expect(isErrorShape(res.body)).toBe(true);
    }

    await pg.start();
    await ready(teams.url);
    await waitFor(async () => (await create('After')).status === 201, { timeoutMs: 30_000 });

    const listed = await call<Array<{ id: string }>>(teams.url, 'GET', '/api/teams?limit=100', {
      cookie: owner.cookie,
    });
    expect(listed.status).toBe(200);
    expect(listed.body.map((t) => t.id).sort()).toEqual([...acknowledged].sort());
  });
});

describe('the MongoDB-compatible server stopped under tickets', () => {
  let mongo: OwnMongo;
  let tickets: ServiceProcess;
  const seller = user();
  const acknowledged: string[] = [];
  const create = async (title: string) => {
    const res = await call<{ id: string }>(tickets.url, 'POST', '/api/tickets', {
      cookie: seller.cookie,
      body: { title, price: 12 },
    });
    if (res.status === 201) acknowledged.push(res.body.id);
    return res;
  };

  beforeAll(async () => {
    mongo = await startOwnMongo();
    tickets = await startService('tickets', {
      MONGO_URL: `${mongo.url}/tickets`,
      NATS_URL: nats.url,
    });
  });
  afterAll(async () => {
    await tickets?.stop();
    await mongo?.destroy();
  });

  // FerretDB itself, then the PostgreSQL that holds its data (FerretDB stays up and answers).
  it.each([
    ['FerretDB', () => mongo.stop(), () => mongo.start()],
    ['the PostgreSQL under FerretDB', () => mongo.stopPostgres(), () => mongo.startPostgres()],
  ])(
    'answers 503 while %s is down, recovers by itself, and keeps every acknowledged write',
    async (_what, takeDown, bringBack) => {
      for (let i = 0; i < 5; i += 1) expect((await create(`Before ${i}`)).status).toBe(201);

      await takeDown();
      await expectUnavailable(tickets.url, 'mongo');
      for (const res of [
        await create('During'),
        await call(tickets.url, 'GET', `/api/tickets/${acknowledged[0]}`),
      ]) {
        expect(res.status).toBe(503);
        expect(isErrorShape(res.body)).toBe(true);
      }

      await bringBack();
      await ready(tickets.url);
      await waitFor(async () => (await create('After')).status === 201, { timeoutMs: 30_000 });

      for (const id of acknowledged) {
        expect((await call(tickets.url, 'GET', `/api/tickets/${id}`)).status).toBe(200);
      }
    },
  );
});
