import { readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  readEvents,
  signinCookie,
  startNats,
  startPostgres,
  startServiceProcess,
  testKeys,
  waitFor,
  type ServiceProcess,
  type TestNats,
  type TestPostgres,
} from '@taskforge/common/testing';
import { connectEventBus, createLogger, EVENT_STREAM } from '@taskforge/common';
import { Pool } from 'pg';
import request from 'supertest';
import { MIGRATIONS_DIR } from '../db/migration-files';
import { AUDIT_DURABLE, DIRECTORY_DURABLE } from '../events/listeners';

let pg: TestPostgres;
let nats: TestNats;
let pool: Pool;
let service: ServiceProcess;

beforeAll(async () => {
  [pg, nats] = await Promise.all([startPostgres(), startNats()]);
  pool = new Pool({ connectionString: pg.url, max: 2 });
  service = await startServiceProcess({
    cwd: resolve(__dirname, '..', '..'),
    env: { DATABASE_URL: pg.url, NATS_URL: nats.url, JWT_PUBLIC_KEY: testKeys().publicKey },
  });
});

afterAll(async () => {
  await service.stop('SIGKILL');
  await pool.end();
  await Promise.all([pg.stop(), nats.stop()]);
});

describe('the teams process (src/index.ts on runPgService)', () => {
  it('migrates, serves, publishes through its relay, audits on its own durable, and stops on SIGTERM', async () => {
    const { rows } = await pool.query<{ name: string }>('SELECT name FROM pgmigrations');
    // Every migration of the folder ran at start.
    const files = readdirSync(MIGRATIONS_DIR)
      .filter((file) => file.endsWith('.sql'))
      .map((file) => file.replace(/\.sql$/, ''))
      .sort();
    expect(files.length).toBeGreaterThanOrEqual(5);
    expect(rows.map((row) => row.name).sort()).toEqual(files);

    const { cookie, user } = signinCookie();
    const res = await request(service.url)
      .post('/api/teams')
      .set('Cookie', cookie)
      .send({ name: 'Live' })
      .expect(201);

    const [created] = await waitFor(async () => {
      const events = await readEvents(nats.url, 'team.created');
      return events.length > 0 ? events : undefined;
    });
    expect(created?.data).toMatchObject({ id: res.body.id, createdBy: user.id });
    await waitFor(async () => {
      const audit = await pool.query('SELECT 1 FROM audit_logs WHERE team_id = $1', [res.body.id]);
      return audit.rowCount === 2; // team.created and the creator's member.added
    });

    // Both durable consumers exist, shared by every pod of the service.
    const bus = await connectEventBus({
      servers: nats.url,
      name: 'probe',
      logger: createLogger('probe', { NODE_ENV: 'test' }),
    });
    for (const durable of [DIRECTORY_DURABLE, AUDIT_DURABLE]) {
      const info = await bus.jsm.consumers.info(EVENT_STREAM, durable);
      expect(info.config.durable_name).toBe(durable);
    }
    await bus.nc.close();

    expect(await service.stop('SIGTERM')).toBe(0);
  });
});
