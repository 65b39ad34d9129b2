import { restartNatsDuringWrites } from '../support/scenarios';

/*
 * tickets, the real process, takes writes while nats-server is restarted under it. Writes keep
 * succeeding (the event waits in the document's outbox), and once the server is back every
 * event is on the stream exactly once and every outbox is empty.
 * (npm run chaos adds teams' PostgreSQL outbox, more writes and several restarts.)
 */
it('loses no event when nats-server restarts during writes; the outboxes drain after it returns', async () => {
  const writes = 150;
  const { acknowledged, published } = await restartNatsDuringWrites({
    writes,
    restarts: 1,
    teams: false,
  });
  // The write path does not need NATS: every create answered 201.
  expect(acknowledged.tickets).toHaveLength(writes);
  expect([...published.tickets].sort()).toEqual([...acknowledged.tickets].sort());
});
