import { Pool } from 'pg';
import type { EventEnvelope } from '../../events/envelope';
import { startPostgres, type TestPostgres } from '../../testing';
import type { RecordedEvent } from '../edit-document';
import { PG_OUTBOX_DDL } from '../pg-outbox';
import { withTransaction, writeInTransaction } from '../write-in-transaction';

let pg: TestPostgres;
let pool: Pool;

beforeAll(async () => {
  pg = await startPostgres();
  pool = new Pool({ connectionString: pg.url });
  await pool.query(PG_OUTBOX_DDL);
  // Seats are unique by number, checked at the commit: a write can fail after its events went in.
  await pool.query(`CREATE TABLE seats (
    id TEXT PRIMARY KEY,
    number INT NOT NULL,
    CONSTRAINT seats_number_key UNIQUE (number) DEFERRABLE INITIALLY DEFERRED
  )`);
});
beforeEach(() => pool.query('TRUNCATE seats, outbox'));
afterAll(async () => {
  await pool.end();
  await pg.stop();
});

const seatEvent = (id: string, version = 0): RecordedEvent => ({
  subject: 'ticket.created',
  data: { id, version, title: `Seat ${id}`, price: 10, userId: 'u1' },
});

async function outbox(): Promise<EventEnvelope[]> {
  const { rows } = await pool.query<{ event: EventEnvelope }>(
    'SELECT event FROM outbox ORDER BY seq',
  );
  return rows.map((row) => row.event);
}

async function seatIds(): Promise<string[]> {
  const { rows } = await pool.query<{ id: string }>('SELECT id FROM seats ORDER BY id');
  return rows.map((row) => row.id);
}

describe('writeInTransaction', () => {
  it('commits the change with its events in the outbox, in order, and tells the relay once', async () => {
    let told = 0;

    const result = await writeInTransaction(
      pool,
      async (client) => {
        await client.query("INSERT INTO seats (id, number) VALUES ('a', 1), ('b', 2)");
        return { result: 'seated', events: [seatEvent('a'), seatEvent('b')] };
      },
      { metadata: { actorId: 'u1', requestId: 'r1' }, eventsRecorded: () => (told += 1) },
    );

    expect(result).toBe('seated');
    expect(told).toBe(1);
    expect(await seatIds()).toEqual(['a', 'b']);
    const events = await outbox();
    expect(events.map((e) => [e.subject, (e.data as { id: string }).id])).toEqual([
      ['ticket.created', 'a'],
      ['ticket.created', 'b'],
    ]);
    expect(events[0]?.metadata).toEqual({ actorId: 'u1', requestId: 'r1' });
  });

  it('commits a change with no event and tells nobody', async () => {
    let told = 0;

    await writeInTransaction(
      pool,
      async (client) => {
        await client.query("INSERT INTO seats (id, number) VALUES ('quiet', 1)");
        return { result: undefined, events: [] };
      },
      { eventsRecorded: () => (told += 1) },
    );

    expect(told).toBe(0);
    expect(await seatIds()).toEqual(['quiet']);
    expect(await outbox()).toEqual([]);
  });

  it('rolls the change back when the work throws, and tells nobody', async () => {
    const refused = new Error('refused');
    let told = 0;

    await expect(
      writeInTransaction(
        pool,
        async (client) => {
          await client.query("INSERT INTO seats (id, number) VALUES ('doomed', 1)");
          throw refused;
        },
        { eventsRecorded: () => (told += 1) },
      ),
    ).rejects.toBe(refused);

    expect(told).toBe(0);
    expect(await seatIds()).toEqual([]);
    expect(await outbox()).toEqual([]);
  });

  it('leaves no event of a write whose commit failed after the events went in', async () => {
    let told = 0;

    await expect(
      writeInTransaction(
        pool,
        async (client) => {
          await client.query("INSERT INTO seats (id, number) VALUES ('x', 1), ('y', 1)");
          return { result: undefined, events: [seatEvent('x'), seatEvent('y')] };
        },
        { eventsRecorded: () => (told += 1) },
      ),
    ).rejects.toMatchObject({ constraint: 'seats_number_key' });

    expect(told).toBe(0);
    expect(await seatIds()).toEqual([]);
    expect(await outbox()).toEqual([]);
  });

  it('refuses an event its catalogue entry does not accept, storing nothing', async () => {
    await expect(
      writeInTransaction(
        pool,
        async (client) => {
          await client.query("INSERT INTO seats (id, number) VALUES ('bad', 1)");
          const event = { subject: 'ticket.created', data: { id: 'bad' } } as RecordedEvent;
          return { result: undefined, events: [event] };
        },
        { eventsRecorded: () => undefined },
      ),
    ).rejects.toThrow();

    expect(await seatIds()).toEqual([]);
    expect(await outbox()).toEqual([]);
  });
});

describe('withTransaction', () => {
  // pg's pool drops a client whose connection ended as well; the slot coming free is what counts.
  it('gives the pool its slot back when the connection broke mid-transaction', async () => {
    const single = new Pool({ connectionString: pg.url, max: 1 });
    try {
      await expect(
        withTransaction(single, async (client) => {
          // The server ends this connection: the rollback cannot be sent on it either. (The
          // client reports the end as an event too, besides failing the query.)
          client.on('error', () => undefined);
          await client.query('SELECT pg_terminate_backend(pg_backend_pid())');
        }),
      ).rejects.toThrow(/terminat/);

      expect(single.totalCount).toBe(0);
      // The pool's one slot is free again, on a new connection.
      expect((await single.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
    } finally {
      await single.end();
    }
  });
});
