import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { isPortOpen } from '../ports';
import { ApiSession } from '../api-session';
import { verifyEmails } from '../email-verification';
import { availableServices } from '../services';

const run = promisify(execFile);

const root = join(__dirname, '..', '..', '..');

/**
 * A base port whose whole block (gateway, services, stores) is free, below Linux's ephemeral
 * range (32768 and up), where an outgoing connection could take a port between check and use.
 */
async function freeBase(): Promise<number> {
  for (;;) {
    const base = 20_000 + Math.floor(Math.random() * 600) * 20;
    const busy = await Promise.all(Array.from({ length: 17 }, (_, i) => isPortOpen(base + i)));
    if (!busy.some(Boolean)) return base;
  }
}

function waitForLine(child: ChildProcess, pattern: RegExp, output: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      for (const line of chunk.toString().split('\n')) {
        output.push(line);
        if (pattern.test(line)) {
          child.stdout?.off('data', onData);
          resolve(line);
        }
      }
    };
    child.stdout?.on('data', onData);
    child.once('exit', (code) =>
      reject(new Error(`stack exited with ${code}:\n${output.join('\n')}`)),
    );
  });
}

/**
 * Resolves once some line of `output` (every line the stack printed so far) matches; fails when
 * the time is up, or when `child` exited without printing it.
 */
async function lineIn(
  output: string[],
  pattern: RegExp,
  timeoutMs: number,
  child?: ChildProcess,
): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const line = output.find((l) => pattern.test(l));
    if (line !== undefined) return line;
    const exited = child?.exitCode !== null && child?.exitCode !== undefined;
    if (exited || Date.now() > deadline) {
      throw new Error(
        `${exited ? 'the stack exited' : 'out of time'}; no line matched ${pattern}:\n${output.join('\n')}`,
      );
    }
    await sleep(200);
  }
}

/** The loopback ports in [from, to] that something listens on, by the address it listens on. */
function listeners(from: number, to: number): Array<{ port: number; address: string }> {
  const found: Array<{ port: number; address: string }> = [];
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    if (!existsSync(file)) continue;
    for (const line of readFileSync(file, 'utf8').split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      // local address (hex address:port), state 0A (LISTEN)
      if (cols[3] !== '0A' || !cols[1]) continue;
      const [hex, portHex] = cols[1].split(':');
      const port = parseInt(portHex ?? '', 16);
      if (port < from || port > to || !hex) continue;
      const address =
        hex === '0100007F' || hex === '0000000000000000FFFF00000100007F'
          ? '127.0.0.1'
          : hex === '00000000000000000000000001000000'
            ? '::1'
            : /^0+$/.test(hex)
              ? 'every interface'
              : hex;
      found.push({ port, address });
    }
  }
  return found;
}

describe('npm run stack', () => {
  const dir = mkdtempSync(join(tmpdir(), 'taskforge-stack-'));
  let base: number;
  let child: ChildProcess;
  // Every stack this file started: a failed test may leave one running after `child` moved on.
  const started: ChildProcess[] = [];
  let url: string;
  let output: string[] = [];
  // What the first test makes, looked for again after a restart.
  const user = { email: 'stack-test@taskforge.test', password: 'stack-test-password', id: '' };
  let teamId = '';
  let taskId = '';

  // The client's build is Next.js's standalone server, the services' build/index.js.
  const built = availableServices(root).every((s) =>
    existsSync(
      s.name === 'client'
        ? join(root, 'client', '.next', 'standalone', 'client', 'server.js')
        : join(root, s.workspace, 'build', 'index.js'),
    ),
  );

  async function start(...args: string[]): Promise<void> {
    output = [];
    child = spawn(
      join(root, 'node_modules', '.bin', 'tsx'),
      [
        join(root, 'stack', 'src', 'cli.ts'),
        '--port',
        String(base),
        '--dir',
        dir,
        ...(built ? ['--no-build'] : []),
        ...args,
      ],
      { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NODE_ENV: '' } },
    );
    started.push(child);
    child.stderr?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    // Every line, for as long as it runs: what --seed prints comes after `ready`. A chunk may
    // end inside a line; that part waits for the rest.
    let partial = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      const lines = (partial + chunk.toString()).split('\n');
      partial = lines.pop() ?? '';
      output.push(...lines);
    });
    const ready = await lineIn(output, /\[stack\] ready: /, 240_000, child);
    url = ready.replace(/.*ready: /, '').trim();
  }

  async function stop(): Promise<void> {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGINT');
    expect(await exited).toBe(0);
    await lineIn(output, /\[stack\] stopped/, 1000);
  }

  beforeAll(async () => {
    base = await freeBase();
    await start('--seed');
  }, 240_000);

  afterAll(async () => {
    // Ctrl-C first, so the stack stops its services and stores; SIGKILL would orphan them.
    const running = started.filter((stack) => stack.exitCode === null && stack.signalCode === null);
    await Promise.all(
      running.map(async (stack) => {
        const exited = new Promise((resolve) => stack.once('exit', resolve));
        stack.kill('SIGINT');
        const late = setTimeout(() => stack.kill('SIGKILL'), 60_000);
        await exited;
        clearTimeout(late);
      }),
    );
    rmSync(dir, { recursive: true, force: true });
  }, 90_000);

  it('serves the suite through one gateway: sign up, create a team, create a task', async () => {
    const session = new ApiSession(url);
    const created = await session.expect<{ id: string; email: string }>(
      'POST',
      '/api/users/signup',
      { email: user.email, password: user.password },
      201,
    );
    user.id = created.id;
    const current = await session.expect<{ currentUser: { id: string } | null }>(
      'GET',
      '/api/users/currentuser',
      undefined,
      200,
    );
    expect(current.currentUser?.id).toBe(user.id);

    const team = await session.expect<{ id: string; name: string }>(
      'POST',
      '/api/teams',
      { name: 'Stack test team' },
      201,
    );
    expect(team.name).toBe('Stack test team');
    teamId = team.id;

    // tasks learns of the membership through JetStream; the session retries its 404s meanwhile.
    const task = await session.expect<{ id: string; teamId: string; creatorId: string }>(
      'POST',
      '/api/tasks',
      { teamId: team.id, title: 'Runs on the local stack' },
      201,
    );
    expect(task).toMatchObject({ teamId: team.id, creatorId: user.id });
    taskId = task.id;
    const shown = await session.expect<{ id: string }>(
      'GET',
      `/api/tasks/${task.id}`,
      undefined,
      200,
    );
    expect(shown.id).toBe(task.id);
    // Provisioning installs nginx, so the gateway that answered was nginx, as in the cluster.
    expect(output).toContain(
      '[stack] gateway: nginx (access log: ' + join(dir, 'gateway', 'access.log') + ')',
    );
    // nginx writes its access log in buffered lines, at least once a second.
    const accessLog = join(dir, 'gateway', 'access.log');
    const createdLine = /"POST \/api\/tasks HTTP\/1\.1" 201 /;
    for (let i = 0; i < 50 && !createdLine.test(readFileSync(accessLog, 'utf8')); i += 1) {
      await sleep(100);
    }
    expect(readFileSync(accessLog, 'utf8')).toMatch(createdLine);
  }, 60_000);

  it('prints every account --seed made, and each signs in with the password it prints', async () => {
    const summary = await lineIn(output, /\[stack\] seeded \d+ users/, 180_000);
    // The password the README gives.
    const password = /with the password (\S+):$/.exec(summary)?.[1];
    expect(password).toBe('taskforge-demo');
    const count = Number(/seeded (\d+) users/.exec(summary)?.[1]);
    const start = output.indexOf(summary);
    const accounts = output
      .slice(start + 1, start + 1 + count)
      .map((line) =>
        /^\[stack\] {3}(\S+@\S+) +(.+?)(?: {2}\((owner|member|guest) of the seeded teams\))?$/.exec(
          line,
        ),
      );
    expect(accounts).toHaveLength(count);
    expect(count).toBeGreaterThan(1);
    expect(accounts.map((match) => match?.[3])).toEqual([
      'owner',
      ...Array<string>(count - 2).fill('member'),
      'guest',
    ]);
    for (const match of accounts) {
      const session = new ApiSession(url);
      const me = await session.expect<{
        email: string;
        emailVerified: boolean;
        firstName: string;
        lastName: string;
      }>('POST', '/api/users/signin', { email: match?.[1], password }, 200);
      expect(`${me.firstName} ${me.lastName}`).toBe(match?.[2]);
      // Verified, as their owners would have: anyone can add them to a team by email.
      expect(me.emailVerified).toBe(true);
    }
  }, 240_000);

  it('adds a seeded account to a team by email, and a new one once it opened its link', async () => {
    const summary = await lineIn(output, /\[stack\] seeded \d+ users/, 180_000);
    const seeded = /(\S+@\S+)/.exec(output[output.indexOf(summary) + 1] ?? '')?.[1];
    const owner = new ApiSession(url);
    await owner.expect(
      'POST',
      '/api/users/signup',
      { email: 'joins@taskforge.test', password: 'joins-password' },
      201,
    );
    const team = await owner.expect<{ id: string }>('POST', '/api/teams', { name: 'Joins' }, 201);
    const add = (email: string | undefined) =>
      owner.call('POST', `/api/teams/${team.id}/members`, { email, role: 'member' });
    expect((await add(seeded)).status).toBe(201);

    const newcomer = new ApiSession(url);
    const { id } = await newcomer.expect<{ id: string }>(
      'POST',
      '/api/users/signup',
      { email: 'newcomer@taskforge.test', password: 'newcomer-password' },
      201,
    );
    // 404 until teams' directory has the account; then refused until its address is verified.
    let refused = await add('newcomer@taskforge.test');
    for (const started = Date.now(); refused.status === 404 && Date.now() - started < 10_000;) {
      await sleep(100);
      refused = await add('newcomer@taskforge.test');
    }
    expect(refused.status).toBe(400);
    await verifyEmails(url, `nats://127.0.0.1:${base + 10}`, [id]);
    expect((await add('newcomer@taskforge.test')).status).toBe(201);
  }, 60_000);

  it('listens on 127.0.0.1 alone: the gateway, every service and every store', () => {
    const found = listeners(base, base + 19);
    // The gateway, five services, the client, nats (client and monitor), the SMTP sink and the
    // stores: at least a dozen.
    expect(found.length).toBeGreaterThanOrEqual(12);
    expect(found.filter((l) => l.address !== '127.0.0.1')).toEqual([]);
    for (const spec of availableServices(root)) {
      expect(found.map((l) => l.port)).toContain(base + spec.portOffset);
    }
  });

  it('ends every session of a user in every service: sign out everywhere, a password change', async () => {
    const email = 'sessions@taskforge.test';
    const password = 'sessions-password';
    let current = password;
    const owner = new ApiSession(url);
    await owner.expect('POST', '/api/users/signup', { email, password }, 201);
    const team = await owner.expect<{ id: string }>(
      'POST',
      '/api/teams',
      { name: 'Sessions' },
      201,
    );
    // A signed-in call to each service; 401 is the only answer that means "no session".
    const probes: Array<[string, string]> = [
      ['GET', '/api/users/me'],
      ['DELETE', '/api/tickets/000000000000000000000000'],
      ['GET', '/api/teams'],
      ['GET', `/api/tasks?teamId=${team.id}`],
      ['GET', '/api/notifications/unread-count'],
    ];
    const answers = async (session: ApiSession) =>
      Promise.all(probes.map(async ([method, path]) => (await session.call(method, path)).status));
    const signedIn = async () => {
      const session = new ApiSession(url);
      await session.expect('POST', '/api/users/signin', { email, password: current }, 200);
      return session;
    };
    // Within the bound: the event's trip to each service and the second it trusts what it read.
    const refusedEverywhere = async (session: ApiSession) => {
      const started = Date.now();
      for (;;) {
        const statuses = await answers(session);
        if (statuses.every((status) => status === 401)) return Date.now() - started;
        if (Date.now() - started > 10_000) throw new Error(`still served: ${statuses.join(', ')}`);
        await sleep(100);
      }
    };
    const laptop = await signedIn();
    expect((await answers(laptop)).some((status) => status === 401)).toBe(false);
    await owner.expect('POST', '/api/users/signout-everywhere', undefined, 200);
    expect(await refusedEverywhere(laptop)).toBeLessThan(5000);
    expect(await answers(owner)).toEqual(probes.map(() => 401));
    const again = await signedIn();
    expect((await answers(again)).some((status) => status === 401)).toBe(false);

    // A password change ends every other session; the one that made it goes on.
    const phone = await signedIn();
    await again.expect(
      'POST',
      '/api/users/me/password',
      { currentPassword: password, newPassword: 'sessions-password-2' },
      204,
    );
    current = 'sessions-password-2';
    expect(await refusedEverywhere(phone)).toBeLessThan(5000);
    expect((await answers(again)).some((status) => status === 401)).toBe(false);
    expect((await answers(await signedIn())).some((status) => status === 401)).toBe(false);

    // Deleting the account ends the last session too, once its last admin has let go of the team
    // (auth learns of the deletion from team.deleted).
    const tablet = await signedIn();
    const deleteAccount = () => again.call('DELETE', '/api/users/me', { password: current });
    expect((await deleteAccount()).status).toBe(409);
    await again.expect('DELETE', `/api/teams/${team.id}`, undefined, 204);
    let deleted = await deleteAccount();
    for (const started = Date.now(); deleted.status === 409 && Date.now() - started < 10_000;) {
      await sleep(100);
      deleted = await deleteAccount();
    }
    expect(deleted.status).toBe(204);
    expect(await refusedEverywhere(tablet)).toBeLessThan(5000);
    const gone = new ApiSession(url);
    expect(
      (await gone.call('POST', '/api/users/signin', { email, password: current })).status,
    ).toBe(400);
  }, 120_000);

  it('answers a re-run with the running stack instead of starting a second one', async () => {
    const again = spawn(
      join(root, 'node_modules', '.bin', 'tsx'),
      [join(root, 'stack', 'src', 'cli.ts'), '--dir', dir, '--no-build'],
      { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const exited = new Promise((resolve) => again.once('exit', resolve));
    const line = await waitForLine(again, /already running/, []);
    expect(line).toContain(url);
    expect(await exited).toBe(0);
  }, 30_000);

  it('stops everything on Ctrl-C and exits 0', async () => {
    await stop();
    expect(await isPortOpen(Number(new URL(url).port))).toBe(false);
    expect(existsSync(join(dir, 'stack.json'))).toBe(false);
  }, 60_000);

  it('keeps every account, team and task across a restart, its replicas in agreement', async () => {
    await start();
    // Stopped whatever happens, so a failure here is this test's alone, not the next ones'.
    try {
      await restartedStackAgrees();
    } finally {
      await stop();
    }
  }, 300_000);

  async function restartedStackAgrees(): Promise<void> {
    const session = new ApiSession(url);
    const me = await session.expect<{ id: string }>(
      'POST',
      '/api/users/signin',
      { email: user.email, password: user.password },
      200,
    );
    expect(me.id).toBe(user.id);
    const teams = await session.expect<{ id: string; name: string }[]>(
      'GET',
      '/api/teams',
      undefined,
      200,
    );
    expect(teams.map((team) => team.id)).toContain(teamId);
    const task = await session.expect<{ id: string; title: string }>(
      'GET',
      `/api/tasks/${taskId}`,
      undefined,
      200,
    );
    expect(task.title).toBe('Runs on the local stack');
    // The event stream was kept too: a new task reaches tasks' replicas as before.
    await session.expect('POST', '/api/tasks', { teamId, title: 'After the restart' }, 201);
    // A difference makes converge exit 1: its report is what the failure must show.
    const stdout = await run(
      'npm',
      ['run', 'converge', '--silent', '--', '--dir', dir, '--wait', '30'],
      { cwd: root, env: { ...process.env, NODE_ENV: '' } },
    ).then(
      (result) => result.stdout,
      (err: { stdout?: string; message: string }) => `${err.stdout ?? ''}\n${err.message}`,
    );
    const checked = [...stdout.matchAll(/(\d+) checked, (\d+) differences/g)];
    expect(checked.length).toBeGreaterThan(0);
    expect(checked.reduce((sum, m) => sum + Number(m[1]), 0)).toBeGreaterThan(0);
    const differences = checked.map((m) => Number(m[2]));
    if (differences.some((count) => count !== 0)) {
      throw new Error(`the replicas disagree with their owners:\n${stdout}`);
    }
  }

  it('starts again after it was killed, stopping what the killed run left, losing nothing acknowledged', async () => {
    await start();
    const before = new ApiSession(url);
    await before.expect(
      'POST',
      '/api/users/signin',
      { email: user.email, password: user.password },
      200,
    );
    const task = await before.expect<{ id: string }>(
      'POST',
      '/api/tasks',
      { teamId, title: 'Written just before the crash' },
      201,
    );
    // No Ctrl-C: its services, nats-server, nginx and the stores outlive it, holding the ports.
    // The stack's own process (tsx runs it in a child of the one this test spawned).
    const { pid } = JSON.parse(readFileSync(join(dir, 'stack.json'), 'utf8')) as { pid: number };
    const killed = new Promise((resolve) => child.once('exit', resolve));
    process.kill(pid, 'SIGKILL');
    await killed;
    expect(await isPortOpen(base + 1)).toBe(true);

    await start();
    expect(
      output.find((line) => line.includes('stopped what the last run')) ?? output.join('\n'),
    ).toMatch(/stopped what the last run \(pid \d+\) left running: nats, auth, .*client/);
    const after = new ApiSession(url);
    await after.expect(
      'POST',
      '/api/users/signin',
      { email: user.email, password: user.password },
      200,
    );
    const shown = await after.expect<{ title: string }>(
      'GET',
      `/api/tasks/${task.id}`,
      undefined,
      200,
    );
    expect(shown.title).toBe('Written just before the crash');
    await stop();
  }, 300_000);

  it('starts with nothing of earlier runs with --fresh', async () => {
    await start('--fresh');
    expect(output).toContain('[stack] removing the data of earlier runs (--fresh)');
    const session = new ApiSession(url);
    const signin = await session.call('POST', '/api/users/signin', {
      email: user.email,
      password: user.password,
    });
    expect(signin.status).toBe(400);
    await session.expect(
      'POST',
      '/api/users/signup',
      { email: user.email, password: user.password },
      201,
    );
    await stop();
  }, 300_000);
});
