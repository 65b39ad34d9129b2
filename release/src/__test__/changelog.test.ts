import { bumpOf, nextVersion, releasedChangelog, unreleasedOf } from '../changelog';

const changelog = (entries: string) =>
  `# Changelog\n\nIntro.\n\n## Unreleased\n\n${entries}\n\n## 0.1.0 (2026-11-01)\n\n- First.\n`;

describe('the next version of common', () => {
  it('is a major for a breaking entry, a minor for a new export, a patch otherwise', () => {
    expect(bumpOf('- Fixed a thing.\n- **New:** `retryOnConflict`.\n- **Breaking:** gone.')).toBe(
      'major',
    );
    expect(bumpOf('- Fixed a thing.\n- **New:** `isEmailAddress`, over\n  two lines.')).toBe(
      'minor',
    );
    expect(bumpOf('- Fixed a thing.\n  **Breaking:** inside an entry is not a marker.')).toBe(
      'patch',
    );
    expect(bumpOf('')).toBeUndefined();
  });

  it('counts up the named part and resets the smaller ones', () => {
    expect(nextVersion('0.1.0', 'major')).toBe('1.0.0');
    expect(nextVersion('1.4.2', 'minor')).toBe('1.5.0');
    expect(nextVersion('1.4.2', 'patch')).toBe('1.4.3');
    expect(() => nextVersion('1.0.0-rc.1', 'patch')).toThrow('not a release version');
  });

  it('moves the unreleased entries under the version and leaves Unreleased empty', () => {
    const before = changelog('- **New:** a.\n- b.');
    expect(unreleasedOf(before).entries).toBe('- **New:** a.\n- b.');
    const after = releasedChangelog(before, '0.2.0', '2026-12-03');
    expect(after).toBe(
      '# Changelog\n\nIntro.\n\n## Unreleased\n\n## 0.2.0 (2026-12-03)\n\n- **New:** a.\n- b.\n\n' +
        '## 0.1.0 (2026-11-01)\n\n- First.\n',
    );
    expect(unreleasedOf(after).entries).toBe('');
    expect(() => unreleasedOf('# Changelog\n')).toThrow('no "## Unreleased" section');
  });
});
