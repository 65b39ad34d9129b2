import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Client } from 'pg';

export interface TestPostgres {
  url: string;
  stop(): Promise<void>;
}

/** Creates a database of its own for this test file on the server at `DATABASE_URL`. */
export async function startPostgres(): Promise<TestPostgres> {
  const base = process.env.DATABASE_URL;
  if (!base) throw new Error('DATABASE_URL must point at a PostgreSQL server for these tests');
  const name = `test_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = new Client({ connectionString: base });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(base);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async stop() {
      const client = new Client({ connectionString: base });
      await client.connect();
      // A pool's end() resolves before its connections have closed: dropping the database at
      // once would terminate them, and a pool reports that as an error of an idle client (a
      // failed test). Wait until they are gone; only a connection still open after that, one a
      // test left behind, is terminated.
      for (let i = 0; i < 100; i += 1) {
        const { rows } = await client.query<{ open: number }>(
          'SELECT count(*)::int AS open FROM pg_stat_activity WHERE datname = $1',
          [name],
        );
        if (rows[0]?.open === 0) break;
        await sleep(50);
      }
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
  };
}
