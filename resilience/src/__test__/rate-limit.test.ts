import {
  signinCookie,
  startNats,
  type ServiceProcess,
  type TestNats,
} from '@taskforge/common/testing';
import mongoose from 'mongoose';
import { call, isErrorShape, type Answer } from '../support/http';
import { databaseUrl, startAll, startService } from '../support/services';

/*
 * The limits as a client meets them on the real processes: the API-wide limit per signed-in
 * user (per address when signed out) and auth's limit on failed sign-ins per email. Past them: 429 in the common shape, with
 * Retry-After and the RateLimit-* headers, and the probes stay unlimited.
 */
let nats: TestNats;
let tickets: ServiceProcess;
let auth: ServiceProcess;
const databases: string[] = [];

beforeAll(async () => {
  nats = await startNats();
  const base = process.env.MONGO_URL ?? 'mongodb://127.0.0.1:27017';
  databases.push(databaseUrl(base, 'rl_tickets'), databaseUrl(base, 'rl_auth'));
  [tickets, auth] = await startAll([
    startService('tickets', { MONGO_URL: databases[0]!, NATS_URL: nats.url, RATE_LIMIT_MAX: '5' }),
    startService('auth', {
      MONGO_URL: databases[1]!,
      NATS_URL: nats.url,
      SIGNIN_MAX_FAILURES_PER_EMAIL: '3',
    }),
  ]);
});
afterAll(async () => {
  await Promise.all([tickets?.stop(), auth?.stop()]);
  for (const url of databases) {
    const connection = await mongoose.createConnection(url).asPromise();
    await connection.dropDatabase();
    await connection.close();
  }
  await nats.stop();
});

let addresses = 0;

/** A documentation-range address (never routed), another for each call and each run. */
function clientAddress(): string {
  addresses += 1;
  return `198.51.${(process.pid % 200) + 1}.${addresses}`;
}

function expectLimited(res: Answer, limit: number): void {
  expect(res.status).toBe(429);
  expect(isErrorShape(res.body)).toBe(true);
  expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
  expect(res.headers.get('ratelimit-limit')).toBe(String(limit));
  expect(res.headers.get('ratelimit-remaining')).toBe('0');
  expect(Number(res.headers.get('ratelimit-reset'))).toBeGreaterThan(0);
}

it('answers 429 with Retry-After and RateLimit-* past the API-wide limit; probes are not limited', async () => {
  // Counters are per client address and shared by every process of the service through Redis:
  // an address of this test's own (the services trust one proxy hop, as behind the ingress).
  const headers = { 'x-forwarded-for': clientAddress() };
  const answers = [];
  for (let i = 0; i < 6; i += 1) {
    answers.push(await call(tickets.url, 'GET', '/api/tickets', { headers }));
  }
  expect(answers.slice(0, 5).map((a) => a.status)).toEqual([200, 200, 200, 200, 200]);
  expect(answers[4]!.headers.get('ratelimit-remaining')).toBe('0');
  expectLimited(answers[5]!, 5);
  expect((await call(tickets.url, 'GET', '/healthz', { headers })).status).toBe(200);
  expect((await call(tickets.url, 'GET', '/readyz', { headers })).status).toBe(200);
  // Another address is not held back by this one's count.
  expect(
    (
      await call(tickets.url, 'GET', '/api/tickets', {
        headers: { 'x-forwarded-for': clientAddress() },
      })
    ).status,
  ).toBe(200);
});

it('gives each signed-in user a bucket of their own, even behind one address', async () => {
  // The client's server renders every browser's pages from one address.
  const address = clientAddress();
  const get = (cookie?: string) =>
    call(tickets.url, 'GET', '/api/tickets', {
      headers: { 'x-forwarded-for': address },
      ...(cookie ? { cookie } : {}),
    });
  const alice = signinCookie().cookie;
  const bob = signinCookie().cookie;
  for (let i = 0; i < 5; i += 1) expect((await get(alice)).status).toBe(200);
  expectLimited(await get(alice), 5);
  expect((await get(bob)).status).toBe(200);
  // Signed out, the address has its own count, untouched by the users behind it.
  const anonymous = await get();
  expect(anonymous.status).toBe(200);
  expect(anonymous.headers.get('ratelimit-remaining')).toBe('4');
});

it('answers 429 to sign-ins after too many failures for one email, even with the right password', async () => {
  const email = `limited-${process.pid}-${Date.now()}@example.test`;
  // Failures count per address too (30 by default): this test's own, so others' do not count.
  const headers = { 'x-forwarded-for': clientAddress() };
  const password = 'the-right-password';
  expect(
    (await call(auth.url, 'POST', '/api/users/signup', { body: { email, password } })).status,
  ).toBe(201);
  for (let i = 0; i < 3; i += 1) {
    const res = await call(auth.url, 'POST', '/api/users/signin', {
      body: { email, password: 'wrong-password' },
      headers,
    });
    expect(res.status).toBe(400);
  }
  expectLimited(
    await call(auth.url, 'POST', '/api/users/signin', { body: { email, password }, headers }),
    3,
  );
});
