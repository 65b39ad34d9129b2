import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import {
  readEvents,
  signinCookie,
  startNats,
  startPostgres,
  testKeys,
  waitFor,
  type TestNats,
  type TestPostgres,
} from '@taskforge/common/testing';
import { connectEventBus, createLogger, EVENT_STREAM } from '@taskforge/common';
import { Pool } from 'pg';
import request from 'supertest';
import { AUDIT_DURABLE, DIRECTORY_DURABLE } from '../events/consumers';

let pg: TestPostgres;
let nats: TestNats;
let pool: Pool;
let child: ChildProcess;
let exited: Promise<number | null>;
let baseUrl: string;

function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => done(port));
    });
  });
}

beforeAll(async () => {
  [pg, nats] = await Promise.all([startPostgres(), startNats()]);
  pool = new Pool({ connectionString: pg.url, max: 2 });
  const port = await freePort();
  baseUrl = `http://127.0.0.1:${port}`;
  child = spawn(process.execPath, ['--import', 'tsx', 'src/index.ts'], {
    cwd: resolve(__dirname, '..', '..'),
    env: {
      ...process.env,
      NODE_ENV: 'test',
      PORT: String(port),
      DATABASE_URL: pg.url,
      NATS_URL: nats.url,
      JWT_PUBLIC_KEY: testKeys().publicKey,
    },
    stdio: 'ignore',
  });
  exited = new Promise((done) => child.once('exit', (code) => done(code)));
  await waitFor(async () => (await request(baseUrl).get('/readyz')).status === 200, {
    timeoutMs: 20_000,
  });
});

afterAll(async () => {
  if (child.exitCode === null) child.kill('SIGKILL');
  await pool.end();
  await Promise.all([pg.stop(), nats.stop()]);
});

describe('the teams process (src/index.ts on runPgService)', () => {
  it('migrates, serves, publishes through its relay, audits on its own durable, and stops on SIGTERM', async () => {
    const { rows } = await pool.query<{ name: string }>('SELECT name FROM pgmigrations');
    expect(rows).toHaveLength(4);

    const { cookie, user } = signinCookie();
    const res = await request(baseUrl)
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

    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});
