import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { findHadolint, HADOLINT_INSTALL, hadolintProblems } from '../hadolint';
import { REPO_ROOT } from '../repo';
import { loadSkaffold } from '../skaffold';

const hadolint = findHadolint();
const dockerfiles = [
  ...new Set(
    loadSkaffold(REPO_ROOT).flatMap((config) =>
      (config.build?.artifacts ?? []).map((artifact) =>
        resolve(REPO_ROOT, artifact.context ?? '.', artifact.docker?.dockerfile ?? 'Dockerfile'),
      ),
    ),
  ),
].map((path) => [path.slice(REPO_ROOT.length + 1), path]);

describe('Dockerfiles', () => {
  // scripts/infra.sh provision installs it, so `npm test` and CI always have it.
  it('can be linted: hadolint is installed', () => {
    expect({
      hadolint: hadolint ?? `not found; run scripts/infra.sh provision or ${HADOLINT_INSTALL}`,
    }).toEqual({
      hadolint: expect.any(String),
    });
  });

  it.each(dockerfiles)('%s passes hadolint', (_name, path) => {
    expect(hadolintProblems(hadolint ?? 'hadolint', path ?? '')).toEqual([]);
  });

  it('fail on an unpinned base image', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hadolint-'));
    try {
      writeFileSync(join(dir, 'Dockerfile'), 'FROM node:latest\nCMD ["node"]\n');
      expect(hadolintProblems(hadolint ?? 'hadolint', join(dir, 'Dockerfile'))).toEqual([
        expect.stringContaining('DL3007'),
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
