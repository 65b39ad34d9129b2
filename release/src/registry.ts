import { execFile, spawn } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from '@taskforge/common/testing';

const run = promisify(execFile);
const REPO = resolve(__dirname, '..', '..');

/** A Verdaccio registry on loopback, for tests that publish and install @taskforge/common. */
export interface Registry {
  /** The registry's URL, ending in `/`. */
  url: string;
  /** The environment for npm: a user config naming this registry and a token that publishes. */
  env: NodeJS.ProcessEnv;
  /** A folder of its own, removed by `stop`. */
  dir: string;
  stop(): Promise<void>;
}

/**
 * Starts Verdaccio on a free loopback port. Our scope is served from it only; everything else
 * comes through it from the registry npm is configured with here. The first user signs up, and
 * its token is in `env`.
 */
export async function startRegistry(): Promise<Registry> {
  const dir = mkdtempSync(join(tmpdir(), 'taskforge-registry-'));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}/`;
  const upstream = (await run('npm', ['config', 'get', 'registry'], { cwd: dir })).stdout.trim();
  writeFileSync(
    join(dir, 'verdaccio.yaml'),
    [
      `storage: ${join(dir, 'storage')}`,
      'auth:',
      `  htpasswd: { file: ${join(dir, 'htpasswd')}, max_users: 1 }`,
      'uplinks:',
      `  npmjs: { url: ${upstream}, timeout: 60s }`,
      'packages:',
      "  '@taskforge/*': { access: $all, publish: $authenticated }",
      "  '**': { access: $all, proxy: npmjs }",
      'log: { type: stdout, level: warn }',
      '',
    ].join('\n'),
  );
  const verdaccio = spawn(
    join(REPO, 'node_modules', '.bin', 'verdaccio'),
    ['--config', join(dir, 'verdaccio.yaml'), '--listen', `127.0.0.1:${port}`],
    { stdio: 'ignore' },
  );
  const exited = new Promise<void>((r) => verdaccio.once('exit', () => r()));
  const stop = async () => {
    if (verdaccio.exitCode === null && verdaccio.signalCode === null) {
      verdaccio.kill();
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitForPing(url, () => verdaccio.exitCode);
    const res = await fetch(`${url}-/user/org.couchdb.user:release`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'release', password: 'release-password' }),
    });
    if (res.status !== 201) throw new Error(`verdaccio refused the first user: ${res.status}`);
    const { token } = (await res.json()) as { token: string };
    const npmrc = join(dir, 'npmrc');
    writeFileSync(npmrc, `registry=${url}\n//127.0.0.1:${port}/:_authToken=${token}\n`);
    return { url, dir, env: { ...process.env, npm_config_userconfig: npmrc }, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

async function waitForPing(url: string, exitCode: () => number | null): Promise<void> {
  for (let i = 0; i < 300; i += 1) {
    const code = exitCode();
    if (code !== null) throw new Error(`verdaccio exited with ${code}`);
    try {
      if ((await fetch(`${url}-/ping`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('verdaccio did not start');
}

/**
 * Publishes the workspace's common as it is built (`npm run build -w common`) at `version`,
 * under a dist-tag of its own so that `latest` stays the released one. For tests that need a
 * published common without making a release.
 */
export async function publishBuiltCommon(registry: Registry, version: string): Promise<void> {
  const copy = join(registry.dir, `common-${version}`);
  for (const file of ['package.json', 'README.md', 'CHANGELOG.md', 'build']) {
    cpSync(join(REPO, 'common', file), join(copy, file), { recursive: true });
  }
  await run('npm', ['pkg', 'set', `version=${version}`], { cwd: copy });
  await run('npm', ['publish', '--tag', 'test', '--registry', registry.url, '--ignore-scripts'], {
    cwd: copy,
    env: registry.env,
  });
}
