import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bumpOf, nextVersion, releasedChangelog, unreleasedOf } from './changelog';

export const PACKAGE = '@taskforge/common';

export interface ReleaseOptions {
  /** The repository root: its `common/` is released, its workspaces follow the new version. */
  root: string;
  /** Where to publish; npm's configuration (`.npmrc`, NPM_CONFIG_REGISTRY) when not given. */
  registry?: string;
  /** Build common first (`npm run build -w common`). */
  build: boolean;
  /** `npm publish` after the files are written. */
  publish: boolean;
  /** The release date in the changelog (YYYY-MM-DD). */
  date: string;
  /** The environment of the npm commands (npm's configuration among it): this process's if not given. */
  env?: NodeJS.ProcessEnv;
}

export interface Plan {
  current: string;
  version: string;
  entries: string;
}

interface PackageJson {
  version?: string;
  workspaces?: string[];
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
}

const readJson = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as PackageJson;
const writeJson = (file: string, value: PackageJson) =>
  writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`);

/** What a release would do: from which version to which, with which entries. */
export function planRelease(root: string): Plan {
  const current = readJson(join(root, 'common', 'package.json')).version ?? '';
  const { entries } = unreleasedOf(readFileSync(join(root, 'common', 'CHANGELOG.md'), 'utf8'));
  const bump = bumpOf(entries);
  if (!bump) throw new Error('nothing to release: the changelog has no unreleased entries');
  return { current, version: nextVersion(current, bump), entries };
}

/**
 * Releases common: its version and changelog, every workspace's range on it (`^version`), the
 * lockfile, then `npm publish`. Returns the version published.
 */
export function release(options: ReleaseOptions): string {
  const { root } = options;
  const plan = planRelease(root);
  const common = join(root, 'common');
  const manifest = readJson(join(common, 'package.json'));
  writeJson(join(common, 'package.json'), { ...manifest, version: plan.version });
  const changelog = join(common, 'CHANGELOG.md');
  writeFileSync(
    changelog,
    releasedChangelog(readFileSync(changelog, 'utf8'), plan.version, options.date),
  );

  for (const workspace of readJson(join(root, 'package.json')).workspaces ?? []) {
    const file = join(root, workspace, 'package.json');
    if (workspace === 'common' || !existsSync(file)) continue;
    const pkg = readJson(file);
    let changed = false;
    for (const deps of [pkg.dependencies, pkg.devDependencies]) {
      if (deps?.[PACKAGE]) {
        deps[PACKAGE] = `^${plan.version}`;
        changed = true;
      }
    }
    if (changed) writeJson(file, pkg);
  }

  const npm = (args: string[], cwd: string) =>
    execFileSync('npm', args, {
      cwd,
      env: options.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      encoding: 'utf8',
    });
  if (existsSync(join(root, 'package-lock.json'))) {
    npm(['install', '--package-lock-only', '--ignore-scripts', '--no-audit', '--no-fund'], root);
  }
  if (options.build) npm(['run', 'build', '-w', 'common'], root);
  if (options.publish) {
    // Built above (or by the caller): prepublishOnly would build again.
    npm(
      [
        'publish',
        '--ignore-scripts',
        ...(options.registry ? ['--registry', options.registry] : []),
      ],
      common,
    );
  }
  return plan.version;
}
