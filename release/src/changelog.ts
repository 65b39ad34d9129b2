/**
 * The changelog of @taskforge/common decides its next version (semantic versioning): an entry
 * marked `**Breaking:**` (an export removed or changed, an event schema changed) makes a major,
 * one marked `**New:**` (an export added) a minor, and any other entry a patch.
 */

export type Bump = 'major' | 'minor' | 'patch';

export const UNRELEASED = '## Unreleased';

export interface Unreleased {
  /** The entries under "## Unreleased", as written (blank lines trimmed). */
  entries: string;
  /** Where the section's text starts and ends in the changelog. */
  start: number;
  end: number;
}

export function unreleasedOf(changelog: string): Unreleased {
  const heading = changelog.indexOf(`\n${UNRELEASED}\n`);
  if (heading < 0) throw new Error(`the changelog has no "${UNRELEASED}" section`);
  const start = heading + UNRELEASED.length + 2;
  const next = changelog.indexOf('\n## ', start);
  const end = next < 0 ? changelog.length : next + 1;
  return { entries: changelog.slice(start, end).trim(), start, end };
}

/** The largest bump the entries ask for; none when there are no entries. */
export function bumpOf(entries: string): Bump | undefined {
  const items = entries.split('\n').filter((line) => /^[-*] /.test(line));
  if (items.length === 0) return undefined;
  if (items.some((line) => /^[-*] \*\*Breaking:\*\*/.test(line))) return 'major';
  if (items.some((line) => /^[-*] \*\*New:\*\*/.test(line))) return 'minor';
  return 'patch';
}

export function nextVersion(current: string, bump: Bump): string {
  const match = /^(\d+)\.(\d+)\.(\d+)$/.exec(current);
  if (!match) throw new Error(`not a release version: ${current}`);
  const [major, minor, patch] = match.slice(1).map(Number) as [number, number, number];
  if (bump === 'major') return `${major + 1}.0.0`;
  if (bump === 'minor') return `${major}.${minor + 1}.0`;
  return `${major}.${minor}.${patch + 1}`;
}

/** The changelog with the unreleased entries under the new version, and an empty Unreleased. */
export function releasedChangelog(changelog: string, version: string, date: string): string {
  const { entries, start, end } = unreleasedOf(changelog);
  return (
    `${changelog.slice(0, start)}\n## ${version} (${date})\n\n${entries}\n\n` +
    changelog.slice(end).replace(/^\n+/, '')
  ).replace(/\n+$/, '\n');
}
