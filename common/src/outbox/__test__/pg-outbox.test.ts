import { Pool } from 'pg';
import pino from 'pino';
import { connectEventBus, type EventBus } from '../../events/connection';
import { buildEvent } from '../../events/envelope';
import { EventPublisher } from '../../events/publisher';
import {
  readEvents,
  startNats,
  startPostgres,
  type TestNats,
  type TestPostgres,
} from '../../testing';
import { insertOutboxEvent, PG_OUTBOX_DDL, PgOutboxStore } from '../pg-outbox';
import { OutboxRelay } from '../relay';

const logger = pino({ level: 'silent' });
let pg: TestPostgres;
let pool: Pool;
let nats: TestNats;
let bus: EventBus;
let relay: OutboxRelay;

beforeAll(async () => {
  [pg, nats] = await Promise.all([startPostgres(), startNats()]);
  pool = new Pool({ connectionString: pg.url });
  await pool.query(PG_OUTBOX_DDL);
  await pool.query('CREATE TABLE teams (id TEXT PRIMARY KEY, name TEXT NOT NULL)');
  bus = await connectEventBus({ servers: nats.url, name: 'pg-outbox-test', logger });
  relay = new OutboxRelay({
    store: new PgOutboxStore(pool),
    publisher: new EventPublisher(bus.js),
    logger,
  });
});

afterAll(async () => {
  await bus.nc.close();
  await pool.end();
  await Promise.all([pg.stop(), nats.stop()]);
});

function teamEvent(id: string) {
  return buildEvent('team.created', {
    id,
    version: 0,
    name: id,
    createdBy: 'u1',
    permissions: { admin: ['team.update'], member: [], guest: [] },
  });
}

async function createTeam(id: string, commit: boolean) {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('INSERT INTO teams (id, name) VALUES ($1, $1)', [id]);
    await insertOutboxEvent(client, teamEvent(id));
    await client.query(commit ? 'COMMIT' : 'ROLLBACK');
  } finally {
    client.release();
  }
}

describe('PgOutboxStore', () => {
  it('publishes the event of a committed transaction once, and nothing of a rolled-back one', async () => {
    await createTeam('committed', true);
    await createTeam('rolled-back', false);

    expect(await relay.flush()).toBe(1);
    expect(await relay.flush()).toBe(0);
    const names = (await readEvents(nats.url, 'team.created')).map((e) => e.data.id);
    expect(names).toEqual(['committed']);
    const { rows } = await pool.query('SELECT published_at FROM outbox');
    expect(rows).toHaveLength(1);
    expect(rows[0].published_at).not.toBeNull();
  });

  it('publishes in commit order', async () => {
    for (const id of ['first', 'second', 'third']) await createTeam(id, true);
    await relay.flush();
    const ids = (await readEvents(nats.url, 'team.created')).map((e) => e.data.id);
    expect(ids.slice(-3)).toEqual(['first', 'second', 'third']);
  });
});
