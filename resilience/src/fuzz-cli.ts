import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ApiSession } from '@taskforge/stack/api-session';
import { launchStack, type LaunchedStack } from '@taskforge/stack/launch';

const USAGE = `Usage: npm run fuzz -- [--url <gateway>] [--examples <n>] [--seed <n>] [--deterministic]
                        [--no-build]

Runs Schemathesis (installed by scripts/infra.sh provision) against every service's OpenAPI
document on the local stack, signed in with a real session cookie: no 5xx, statuses, content
types and bodies as documented. Starts a stack of its own unless --url names a running one
(--no-build: with the last build). --deterministic makes Schemathesis generate the same cases
on every run (CI: a failure is the code's, not the draw's). JUnit reports and the cache of
'st replay <id>' (run it there) go to .local/schemathesis/.`;

const SCHEMATHESIS = join(homedir(), '.cache', 'taskforge', 'schemathesis-4.32.5', 'bin', 'st');
const DOCUMENTS = ['users', 'tickets', 'teams', 'tasks', 'notifications'];
// The event stream never ends, so a request to it never completes: its own tests cover it.
const EXCLUDED_PATHS = ['/api/notifications/stream'];
// Operations that end the session they are sent with: each is fuzzed on a session of its own
// after the rest of its document, which would otherwise meet 401 from then on.
// Named as Schemathesis names operations, so `GET /api/users/me` stays with the rest.
const SESSION_ENDING_OPERATIONS: Record<string, string[]> = {
  users: ['POST /api/users/signout-everywhere', 'DELETE /api/users/me'],
};
const CHECKS = [
  'not_a_server_error',
  'status_code_conformance',
  'content_type_conformance',
  'response_schema_conformance',
];

function log(message: string): void {
  process.stdout.write(`[fuzz] ${message}\n`);
}

function run(command: string, args: string[], cwd: string): Promise<number> {
  return new Promise((done) => {
    const child = spawn(command, args, { stdio: 'inherit', cwd });
    child.once('exit', (code) => done(code ?? 1));
  });
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      url: { type: 'string' },
      examples: { type: 'string', default: '30' },
      seed: { type: 'string', default: '20261122' },
      deterministic: { type: 'boolean', default: false },
      'no-build': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  if (!existsSync(SCHEMATHESIS))
    throw new Error(`${SCHEMATHESIS} is missing: run scripts/infra.sh provision`);
  const root = resolve(__dirname, '..', '..');
  const reports = join(root, '.local', 'schemathesis');
  mkdirSync(reports, { recursive: true });

  let stack: LaunchedStack | undefined;
  let dir: string | undefined;
  let gateway = values.url;
  if (!gateway) {
    log('starting the local stack on free ports');
    // Twice at most: on a shared machine another process can take a port of the free block
    // between the check and the listen.
    for (let attempt = 1; !stack; attempt += 1) {
      dir = mkdtempSync(join(tmpdir(), 'taskforge-fuzz-'));
      try {
        stack = await launchStack({
          root,
          dir,
          build: !values['no-build'] && attempt === 1,
          env: { RATE_LIMIT_MAX: '100000000' },
        });
      } catch (err) {
        rmSync(dir, { recursive: true, force: true });
        if (attempt === 2) throw err;
        log(`the stack did not start, once more: ${err instanceof Error ? err.message : err}`);
      }
    }
    gateway = stack.url;
  }
  // A CI time limit (or Ctrl-C) must not leave the stack's processes behind: it runs detached.
  let stopping = false;
  const stopOnSignal = (signal: NodeJS.Signals) => {
    // The signal may come twice (from a time limit to the whole group, and relayed by tsx).
    if (stopping) return;
    stopping = true;
    log(`${signal}: stopping`);
    void Promise.resolve(stack?.stop()).finally(() => {
      if (dir) rmSync(dir, { recursive: true, force: true });
      process.exit(130);
    });
  };
  process.on('SIGINT', stopOnSignal).on('SIGTERM', stopOnSignal);
  try {
    const signedUp = async () => {
      const session = new ApiSession(gateway);
      await session.expect(
        'POST',
        '/api/users/signup',
        {
          email: `fuzz-${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}@example.test`,
          password: 'fuzz-password-1',
        },
        201,
      );
      return session;
    };
    const session = await signedUp();
    const fuzz = (name: string, cookie: string, filters: string[], report = name) =>
      run(
        SCHEMATHESIS,
        [
          'run',
          `${gateway}/api/${name}/docs.json`,
          '--url',
          gateway,
          '--header',
          `Cookie: ${cookie}`,
          '--checks',
          CHECKS.join(','),
          '--max-examples',
          values.examples,
          '--seed',
          values.seed,
          // Failing examples are kept under .local/ and tried first next time; deterministic runs
          // keep none (their cases must not depend on an earlier run).
          ...(values.deterministic
            ? ['--generation-deterministic']
            : ['--generation-database', join(reports, 'examples')]),
          // One worker in deterministic runs: Debian's Python 3.11.7 parses ASTs racily across
          // threads (CPython gh-106905, fixed in 3.11.8), which Schemathesis reports as an error.
          '--workers',
          values.deterministic ? '1' : '2',
          '--request-timeout',
          '30',
          ...filters,
          '--report',
          'junit',
          '--report-junit-path',
          join(reports, `${report}.xml`),
          '--no-color',
          '--warnings',
          'off',
        ],
        // Its replay cache (.schemathesis/, for `st replay <id>`) goes beside the reports.
        reports,
      );
    const failed: string[] = [];
    for (const name of DOCUMENTS) {
      log(`${name}: ${values.examples} examples per operation`);
      const ending = SESSION_ENDING_OPERATIONS[name] ?? [];
      const excluded = [
        ...EXCLUDED_PATHS.flatMap((path) => ['--exclude-path', path]),
        ...ending.flatMap((operation) => ['--exclude-name', operation]),
      ];
      if ((await fuzz(name, session.cookieHeader(), excluded)) !== 0) failed.push(name);
      for (const operation of ending) {
        log(`${name}: ${operation} on a session of its own`);
        const own = await signedUp();
        const report = `${name}-${operation.replace(/[^A-Za-z0-9]+/g, '-').toLowerCase()}`;
        if ((await fuzz(name, own.cookieHeader(), ['--include-name', operation], report)) !== 0) {
          failed.push(`${name} ${operation}`);
        }
      }
    }
    log(failed.length === 0 ? 'no failures' : `failures in: ${failed.join(', ')}`);
    process.exitCode = failed.length === 0 ? 0 : 1;
  } finally {
    await stack?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`[fuzz] ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(2);
});
