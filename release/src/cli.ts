import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { planRelease, release } from './release';

const HELP = `npm run release -- [--registry URL] [--dry-run] [--no-publish]

Releases @taskforge/common: the next version from common/CHANGELOG.md ("**Breaking:**" entries
make a major, "**New:**" a minor, others a patch), written into common/package.json, the
changelog and every workspace's dependency on it; then builds and publishes it to --registry, or
to the registry npm is configured with. --dry-run prints the plan and writes nothing;
--no-publish writes everything but does not publish. Commit and tag the result yourself.`;

const { values } = parseArgs({
  options: {
    registry: { type: 'string' },
    'dry-run': { type: 'boolean', default: false },
    'no-publish': { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
});

if (values.help) {
  process.stdout.write(`${HELP}\n`);
  process.exit(0);
}

const root = resolve(__dirname, '..', '..');
try {
  const plan = planRelease(root);
  process.stdout.write(
    `@taskforge/common ${plan.current} → ${plan.version}\n\n${plan.entries}\n\n`,
  );
  if (!values['dry-run']) {
    release({
      root,
      build: true,
      publish: !values['no-publish'],
      date: new Date().toISOString().slice(0, 10),
      ...(values.registry ? { registry: values.registry } : {}),
    });
    process.stdout.write(
      values['no-publish'] ? 'written, not published\n' : `published ${plan.version}\n`,
    );
  }
} catch (err) {
  process.stderr.write(`release: ${(err as Error).message}\n`);
  process.exit(1);
}
