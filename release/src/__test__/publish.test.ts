import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { cpSync, lstatSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from '@taskforge/common/testing';
import { planRelease, release, PACKAGE } from '../release';

/**
 * The release as the course's services meet it: common is published to a real registry
 * (Verdaccio on loopback, the rest of npm through it), then the tickets service, copied out of
 * the workspace, installs that version from the registry and passes its own tests on it.
 */
const run = promisify(execFile);
const REPO = resolve(__dirname, '..', '..', '..');
const rootManifest = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as {
  devDependencies: Record<string, string>;
};

jest.setTimeout(600_000);

let dir: string;
let registry: string;
let verdaccio: ChildProcess;
let npmrc: string;

async function waitForRegistry(url: string): Promise<void> {
  for (let i = 0; i < 300; i += 1) {
    if (verdaccio.exitCode !== null) throw new Error(`verdaccio exited with ${verdaccio.exitCode}`);
    try {
      if ((await fetch(`${url}-/ping`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('verdaccio did not start');
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'taskforge-release-'));
  const port = await freePort();
  registry = `http://127.0.0.1:${port}/`;
  // Our scope is served from this registry only; everything else comes through it from the
  // registry npm is configured with here.
  const upstream = (await run('npm', ['config', 'get', 'registry'], { cwd: dir })).stdout.trim();
  writeFileSync(
    join(dir, 'verdaccio.yaml'),
    [
      `storage: ${join(dir, 'storage')}`,
      'auth:',
      `  htpasswd: { file: ${join(dir, 'htpasswd')}, max_users: 1 }`,
      'uplinks:',
      `  npmjs: { url: ${upstream} }`,
      'packages:',
      "  '@taskforge/*': { access: $all, publish: $authenticated }",
      "  '**': { access: $all, proxy: npmjs }",
      'log: { type: stdout, level: warn }',
      '',
    ].join('\n'),
  );
  verdaccio = spawn(
    join(REPO, 'node_modules', '.bin', 'verdaccio'),
    ['--config', join(dir, 'verdaccio.yaml'), '--listen', `127.0.0.1:${port}`],
    { stdio: 'ignore' },
  );
  await waitForRegistry(registry);
  // The first user signs up; the token it gets publishes.
  const res = await fetch(`${registry}-/user/org.couchdb.user:release`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'release', password: 'release-password' }),
  });
  expect(res.status).toBe(201);
  const { token } = (await res.json()) as { token: string };
  npmrc = join(dir, 'npmrc');
  writeFileSync(npmrc, `registry=${registry}\n//127.0.0.1:${port}/:_authToken=${token}\n`);
});

afterAll(() => {
  verdaccio?.kill();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const npmEnv = () => ({ ...process.env, npm_config_userconfig: npmrc });

it('publishes the changelog’s next version, which a service outside the workspace installs and passes its tests on', async () => {
  // A copy of the repository's common (built by npm test) and of the root that names it.
  const repo = join(dir, 'repo');
  for (const file of ['package.json', 'CHANGELOG.md', 'README.md', 'build']) {
    cpSync(join(REPO, 'common', file), join(repo, 'common', file), { recursive: true });
  }
  writeFileSync(
    join(repo, 'package.json'),
    JSON.stringify({ private: true, workspaces: ['common', 'tickets'] }),
  );
  cpSync(join(REPO, 'tickets', 'package.json'), join(repo, 'tickets', 'package.json'));
  const plan = planRelease(repo);

  expect(
    release({
      root: repo,
      registry,
      build: false,
      publish: true,
      date: '2026-12-03',
      env: npmEnv(),
    }),
  ).toBe(plan.version);
  const { stdout: published } = await run(
    'npm',
    ['view', `${PACKAGE}@${plan.version}`, 'version', '--registry', registry],
    { env: npmEnv() },
  );
  expect(published.trim()).toBe(plan.version);
  const ticketsManifest = JSON.parse(
    readFileSync(join(repo, 'tickets', 'package.json'), 'utf8'),
  ) as { dependencies: Record<string, string>; devDependencies?: Record<string, string> };
  expect(ticketsManifest.dependencies[PACKAGE]).toBe(`^${plan.version}`);
  expect(readFileSync(join(repo, 'common', 'CHANGELOG.md'), 'utf8')).toContain(
    `## Unreleased\n\n## ${plan.version} (2026-12-03)\n`,
  );

  // tickets on its own, as a course service is: its sources, its tests, the published package.
  const service = join(dir, 'tickets');
  cpSync(join(REPO, 'tickets', 'src'), join(service, 'src'), { recursive: true });
  const dev = (name: string) => [name, rootManifest.devDependencies[name]!];
  writeFileSync(
    join(service, 'package.json'),
    JSON.stringify({
      name: 'tickets',
      private: true,
      dependencies: { ...ticketsManifest.dependencies, [PACKAGE]: plan.version },
      devDependencies: {
        ...ticketsManifest.devDependencies,
        ...Object.fromEntries(
          [
            '@types/cookie-session',
            '@types/jest',
            '@types/node',
            '@types/supertest',
            'jest',
            'supertest',
            'ts-jest',
            'typescript',
          ].map(dev),
        ),
      },
    }),
  );
  const base = JSON.parse(readFileSync(join(REPO, 'tsconfig.base.json'), 'utf8')) as {
    compilerOptions: object;
  };
  writeFileSync(
    join(service, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        ...base.compilerOptions,
        rootDir: 'src',
        outDir: 'build',
        types: ['node', 'jest', 'cookie-session'],
      },
      include: ['src'],
    }),
  );
  writeFileSync(
    join(service, 'jest.config.js'),
    `module.exports = ${JSON.stringify({
      testEnvironment: 'node',
      roots: ['<rootDir>/src'],
      testMatch: ['**/__test__/**/*.test.ts'],
      transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json' }] },
      testTimeout: 30000,
    })};\n`,
  );

  await run('npm', ['install', '--no-audit', '--no-fund', '--ignore-scripts'], {
    cwd: service,
    env: npmEnv(),
    maxBuffer: 64 * 1024 * 1024,
  });
  const installed = join(service, 'node_modules', '@taskforge', 'common');
  expect(lstatSync(installed).isSymbolicLink()).toBe(false);
  expect(
    (JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8')) as { version: string })
      .version,
  ).toBe(plan.version);

  await run('npx', ['tsc', '-p', 'tsconfig.json', '--noEmit'], { cwd: service, env: npmEnv() });
  const tests = await run('npx', ['jest', '--ci', '--maxWorkers=1'], {
    cwd: service,
    env: npmEnv(),
    maxBuffer: 64 * 1024 * 1024,
  });
  expect(tests.stderr).toMatch(/Tests:\s+\d+ passed, \d+ total/);
  expect(tests.stderr).not.toMatch(/failed/);
});
