import { randomBytes } from 'node:crypto';
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
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
  };
}
