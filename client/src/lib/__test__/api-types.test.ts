import { execFile } from 'node:child_process';
import { cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

// The generator runs as `npm run api-types` does, into folders of the test's own: the committed
// files are only read.
const CLIENT = resolve(__dirname, '..', '..', '..');
const COMMITTED = join(CLIENT, 'src', 'lib', 'api');
const GENERATOR = join(CLIENT, 'scripts', 'api-types.ts');

function apiTypes(...args: string[]): Promise<{ code: number; stderr: string }> {
  return new Promise((done) => {
    execFile(
      process.execPath,
      [require.resolve('tsx/cli'), GENERATOR, ...args],
      { cwd: CLIENT },
      (error, _stdout, stderr) => done({ code: error ? Number(error.code ?? 1) : 0, stderr }),
    );
  });
}

describe('npm run api-types', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'api-types-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes what is committed in src/lib/api, one file per service', async () => {
    const written = join(dir, 'written');
    expect(await apiTypes('--out', written)).toMatchObject({ code: 0 });
    const files = (await readdir(written)).sort();
    expect(files).toEqual(['auth.ts', 'notifications.ts', 'tasks.ts', 'teams.ts', 'tickets.ts']);
    expect((await readdir(COMMITTED)).sort()).toEqual(files);
    for (const file of files) {
      // One by one, so a failure names the file that differs.
      expect({ file, text: await readFile(join(written, file), 'utf8') }).toEqual({
        file,
        text: await readFile(join(COMMITTED, file), 'utf8'),
      });
    }
  }, 120_000);

  it('--check passes on files that match the documents and names each one that does not', async () => {
    const current = join(dir, 'current');
    await cp(COMMITTED, current, { recursive: true });
    const stale = join(dir, 'stale');
    await cp(COMMITTED, stale, { recursive: true });
    const tasks = join(stale, 'tasks.ts');
    const withoutAStatus = (await readFile(tasks, 'utf8')).replace("| 'in_review' ", '');
    expect(withoutAStatus).not.toBe(await readFile(join(COMMITTED, 'tasks.ts'), 'utf8'));
    await writeFile(tasks, withoutAStatus);
    await rm(join(stale, 'notifications.ts'));

    const [passed, failed] = await Promise.all([
      apiTypes('--check', '--out', current),
      apiTypes('--check', '--out', stale),
    ]);

    expect(passed).toEqual({ code: 0, stderr: '' });
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain('API types out of date');
    expect(failed.stderr).toMatch(/stale\/tasks\.ts/);
    expect(failed.stderr).toMatch(/stale\/notifications\.ts/);
    expect(failed.stderr).not.toMatch(/auth\.ts|teams\.ts|tickets\.ts/);
    // The check writes nothing: the stale folder is as the test left it.
    expect((await readdir(stale)).sort()).toEqual([
      'auth.ts',
      'tasks.ts',
      'teams.ts',
      'tickets.ts',
    ]);
  }, 120_000);
});
