import {
  readEvents,
  startNats,
  waitFor,
  type ServiceProcess,
  type TestNats,
} from '@taskforge/common/testing';
import mongoose from 'mongoose';
import { inBatches } from '../../../bench/src/seed';
import { call, user } from '../support/http';
import { databaseUrl, startService } from '../support/services';

/*
 * tickets, the real process, takes writes while nats-server is restarted under it. Writes keep
 * succeeding (the event waits in the document's outbox), and once the server is back every
 * event is on the stream exactly once and every outbox is empty.
 */
const WRITES = 150;
let nats: TestNats;
let db: mongoose.Connection;
let tickets: ServiceProcess;

beforeAll(async () => {
  nats = await startNats();
  const mongoUrl = databaseUrl(process.env.MONGO_URL ?? 'mongodb://127.0.0.1:27017', 'natsrestart');
  db = await mongoose.createConnection(mongoUrl).asPromise();
  tickets = await startService('tickets', { MONGO_URL: mongoUrl, NATS_URL: nats.url });
});
afterAll(async () => {
  await tickets?.stop();
  await db.dropDatabase().catch(() => undefined);
  await db.close();
  await nats.stop();
});

it('loses no event when nats-server restarts during writes; the outboxes drain after it returns', async () => {
  const seller = user();
  let restarted: Promise<void> | undefined;
  const created = await inBatches(
    Array.from({ length: WRITES }, (_, i) => i),
    5,
    async (i) => {
      if (i === WRITES / 3) restarted = nats.restart();
      const res = await call<{ id: string }>(tickets.url, 'POST', '/api/tickets', {
        cookie: seller.cookie,
        body: { title: `During the restart ${i}`, price: 10 + i },
      });
      return res.status === 201 ? res.body.id : undefined;
    },
  );
  await restarted;
  const ids = created.filter((id): id is string => id !== undefined);
  // The write path does not need NATS: every create answered 201.
  expect(ids).toHaveLength(WRITES);

  const published = await waitFor(
    async () => {
      const events = await readEvents(nats.url, 'ticket.created');
      return events.length >= WRITES ? events : undefined;
    },
    { timeoutMs: 60_000, intervalMs: 500 },
  );
  const eventTicketIds = published.map((e) => (e.data as { id: string }).id);
  expect(eventTicketIds.sort()).toEqual([...ids].sort());
  await waitFor(
    async () =>
      (await db.collection('tickets').countDocuments({ 'outbox.0': { $exists: true } })) === 0,
    { timeoutMs: 30_000 },
  );
});
