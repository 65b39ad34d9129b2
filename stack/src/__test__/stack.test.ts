import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isPortOpen } from '../ports';
import { ApiSession } from '../api-session';
import { availableServices } from '../services';

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

describe('npm run stack', () => {
  const dir = mkdtempSync(join(tmpdir(), 'taskforge-stack-'));
  let child: ChildProcess;
  let url: string;
  const output: string[] = [];

  beforeAll(async () => {
    const base = await freeBase();
    // The client's build is Next.js's standalone server, the services' build/index.js.
    const built = availableServices(root).every((s) =>
      existsSync(
        s.name === 'client'
          ? join(root, 'client', '.next', 'standalone', 'client', 'server.js')
          : join(root, s.workspace, 'build', 'index.js'),
      ),
    );
    child = spawn(
      join(root, 'node_modules', '.bin', 'tsx'),
      [
        join(root, 'stack', 'src', 'cli.ts'),
        '--port',
        String(base),
        '--dir',
        dir,
        ...(built ? ['--no-build'] : []),
      ],
      { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NODE_ENV: '' } },
    );
    child.stderr?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    const ready = await waitForLine(child, /\[stack\] ready: /, output);
    url = ready.replace(/.*ready: /, '').trim();
  }, 240_000);

  afterAll(async () => {
    if (child.exitCode === null) {
      child.kill('SIGKILL');
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves the suite through one gateway: sign up, create a team, create a task', async () => {
    const session = new ApiSession(url);
    const user = await session.expect<{ id: string; email: string }>(
      'POST',
      '/api/users/signup',
      { email: 'stack-test@taskforge.test', password: 'stack-test-password' },
      201,
    );
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

    // tasks learns of the membership through JetStream; the session retries its 404s meanwhile.
    const task = await session.expect<{ id: string; teamId: string; creatorId: string }>(
      'POST',
      '/api/tasks',
      { teamId: team.id, title: 'Runs on the local stack' },
      201,
    );
    expect(task).toMatchObject({ teamId: team.id, creatorId: user.id });
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
    const created = /"POST \/api\/tasks HTTP\/1\.1" 201 /;
    for (let i = 0; i < 50 && !created.test(readFileSync(accessLog, 'utf8')); i += 1) {
      await sleep(100);
    }
    expect(readFileSync(accessLog, 'utf8')).toMatch(created);
  }, 60_000);

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
    const stopped = waitForLine(child, /\[stack\] stopped/, output);
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGINT');
    await stopped;
    expect(await exited).toBe(0);
    expect(await isPortOpen(Number(new URL(url).port))).toBe(false);
    expect(existsSync(join(dir, 'stack.json'))).toBe(false);
  }, 60_000);
});
