import { readEvents, startNats, startPostgres, waitFor } from '@taskforge/common/testing';
import type { ServiceProcess, TestNats, TestPostgres } from '@taskforge/common/testing';
import { verifyEmails } from '@taskforge/stack/email-verification';
import { SERVICES } from '@taskforge/topology';
import mongoose from 'mongoose';
import { call } from './http';
import { databaseUrl, startAll, startService, type ServiceName } from './services';

/** The whole suite as real processes on stores of this test file's own. */
export interface Suite {
  urls: Record<ServiceName, string>;
  /** Every process of each service (the first is `urls`'): pods sharing its database. */
  pods: Record<ServiceName, string[]>;
  natsUrl: string;
  /** What a service's first process wrote (its log lines), when started with `keepOutput`. */
  output(name: ServiceName): string;
  stop(): Promise<void>;
}

export const PASSWORD = 'suite-password-1';

export async function startSuite(
  env: Record<string, string> = {},
  /** How many processes of a service run on its one database and durable consumer (default 1). */
  replicas: Partial<Record<ServiceName, number>> = {},
  options: { keepOutput?: boolean } = {},
): Promise<Suite> {
  const mongoBase = process.env.MONGO_URL ?? 'mongodb://127.0.0.1:27017';
  const [nats, pg]: [TestNats, TestPostgres] = await Promise.all([startNats(), startPostgres()]);
  // Each service's own database: a MongoDB database of this file's own, or the PostgreSQL.
  const mongo: string[] = [];
  const storeEnv = Object.fromEntries(
    SERVICES.map((service) => {
      const store: Record<string, string> = {};
      for (const variable of service.env) {
        if (variable.from.kind !== 'store') continue;
        if (variable.from.store === 'postgres') store[variable.name] = pg.url;
        if (variable.from.store === 'mongo') {
          const { database } = service.stores.find((s) => s.kind === 'mongo')!;
          const url = databaseUrl(mongoBase, `sec_${database}`);
          store[variable.name] = url;
          mongo.push(url);
        }
      }
      return [service.name, store];
    }),
  ) as Record<ServiceName, Record<string, string>>;
  const base = { NATS_URL: nats.url, ...env };
  const names = SERVICES.map((service) => service.name);
  const pods = names.flatMap((name) => Array.from({ length: replicas[name] ?? 1 }, () => name));
  const processes = await startAll(
    pods.map((name) =>
      startService(name, { ...base, ...storeEnv[name] }, undefined, options.keepOutput),
    ),
  ).catch(async (err: unknown) => {
    await Promise.all([nats.stop(), pg.stop()]);
    throw err;
  });
  const podUrls = Object.fromEntries(
    names.map((n) => [n, processes.filter((_, i) => pods[i] === n).map((p) => p.url)]),
  ) as Record<ServiceName, string[]>;
  const urls = Object.fromEntries(names.map((n) => [n, podUrls[n][0]!])) as Record<
    ServiceName,
    string
  >;
  return {
    urls,
    pods: podUrls,
    natsUrl: nats.url,
    output: (name) => processes[pods.indexOf(name)]?.output() ?? '',
    async stop() {
      await Promise.all(processes.map((p: ServiceProcess) => p.stop()));
      await nats.stop();
      await pg.stop();
      for (const url of mongo) {
        const connection = await mongoose.createConnection(url).asPromise();
        await connection.dropDatabase();
        await connection.close();
      }
    },
  };
}

export interface Person {
  id: string;
  email: string;
  cookie: string;
}

/** Signs up through auth: a real session cookie, signed by auth's key. */
export async function signUp(suite: Suite, name: string): Promise<Person> {
  const email = `${name}-${Math.random().toString(36).slice(2, 8)}@example.test`;
  const res = await fetch(`${suite.urls.auth}/api/users/signup`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password: PASSWORD }),
  });
  if (res.status !== 201) throw new Error(`signup answered ${res.status}`);
  const cookie = res.headers.getSetCookie().find((c) => c.startsWith('session='));
  const body = (await res.json()) as { id: string };
  return { id: body.id, email, cookie: cookie!.split(';')[0]! };
}

/**
 * Opens each one's verification link, as they would from the email: from then on teams adds
 * them to a team by email (a new account cannot be added by email until it is verified).
 */
export async function verifyEmail(suite: Suite, ...people: Person[]): Promise<void> {
  await verifyEmails(
    suite.urls.auth,
    suite.natsUrl,
    people.map((person) => person.id),
  );
}

/**
 * An admin and a verified member of a new team named `name`, both signed up through auth (the
 * member opens the link of the sign-up, so teams adds them by email). The other services learn
 * of the membership through events: wait for the ones a test uses.
 */
export async function teamOfTwo(
  suite: Suite,
  name: string,
): Promise<{ admin: Person; member: Person; teamId: string }> {
  const tag = name.toLowerCase().replace(/[^a-z0-9]+/g, '-');
  const [admin, member] = await Promise.all([
    signUp(suite, `${tag}-admin`),
    signUp(suite, `${tag}-member`),
  ]);
  const team = await call<{ id: string }>(suite.urls.teams, 'POST', '/api/teams', {
    cookie: admin.cookie,
    body: { name },
  });
  if (team.status !== 201) throw new Error(`creating the team answered ${team.status}`);
  await verifyEmail(suite, member);
  const added = await call(suite.urls.teams, 'POST', `/api/teams/${team.body.id}/members`, {
    cookie: admin.cookie,
    body: { email: member.email, role: 'member' },
  });
  if (added.status !== 201) throw new Error(`adding the member answered ${added.status}`);
  return { admin, member, teamId: team.body.id };
}

/** Repeats a call until it answers `status` (replicas learn through events). */
export async function eventually(
  send: () => Promise<{ status: number }>,
  status: number,
  timeoutMs = 30_000,
): Promise<void> {
  await waitFor(async () => (await send()).status === status, { timeoutMs, intervalMs: 150 });
}

export { call, readEvents };
