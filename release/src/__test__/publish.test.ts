import { execFile } from 'node:child_process';
import { cpSync, lstatSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { planRelease, release, PACKAGE } from '../release';
import { startRegistry, type Registry } from '../registry';

/**
 * The release as the course's services meet it: common is published to a real registry
 * (Verdaccio on loopback, the rest of npm through it), then the tickets service, copied out of
 * the workspace, installs that version from the registry and passes its own tests on it.
 */
const run = promisify(execFile);
const REPO = resolve(__dirname, '..', '..', '..');

jest.setTimeout(600_000);

let registry: Registry;
let dir: string;

beforeAll(async () => {
  registry = await startRegistry();
  dir = mkdtempSync(join(tmpdir(), 'taskforge-release-'));
});

afterAll(async () => {
  await registry?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const npmEnv = () => registry.env;

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
      registry: registry.url,
      build: false,
      publish: true,
      date: '2026-12-03',
      env: npmEnv(),
    }),
  ).toBe(plan.version);
  const { stdout: published } = await run(
    'npm',
    ['view', `${PACKAGE}@${plan.version}`, 'version', '--registry', registry.url],
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

  // tickets on its own, as a course service is, laid out as its Dockerfile's runtime-published
  // stage lays it out: its folder, its tests, the published package.
  const outside = join(dir, 'outside');
  await run(join(REPO, 'release', 'standalone.sh'), ['tickets', plan.version, outside]);
  const service = join(outside, 'tickets');
  const standalone = JSON.parse(readFileSync(join(service, 'package.json'), 'utf8')) as {
    dependencies: Record<string, string>;
  };
  expect(standalone.dependencies).toEqual({
    ...ticketsManifest.dependencies,
    [PACKAGE]: plan.version,
  });
  // The workspace's Jest settings name the repository's reporter: the service's own are these.
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

  // What the image runs (its build script), then the tests on the published package.
  await run('npm', ['run', 'build'], { cwd: service, env: npmEnv() });
  expect(lstatSync(join(service, 'build', 'index.js')).isFile()).toBe(true);
  await run('npx', ['tsc', '-p', 'tsconfig.json', '--noEmit'], { cwd: service, env: npmEnv() });
  const tests = await run('npx', ['jest', '--ci', '--maxWorkers=1'], {
    cwd: service,
    env: npmEnv(),
    maxBuffer: 64 * 1024 * 1024,
  });
  expect(tests.stderr).toMatch(/Tests:\s+\d+ passed, \d+ total/);
  expect(tests.stderr).not.toMatch(/failed/);
});
