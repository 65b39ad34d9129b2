// `npm start -- -p <port> [-H <host>]`: runs the standalone server `npm run build` made, the same
// one the image runs, so the local stack and Kubernetes serve the client alike.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    port: { type: 'string', short: 'p' },
    hostname: { type: 'string', short: 'H' },
  },
});
const server = join(
  dirname(fileURLToPath(import.meta.url)),
  '..',
  '.next',
  'standalone',
  'client',
  'server.js',
);
if (!existsSync(server)) {
  process.stderr.write(`No build at ${server}: run \`npm run build -w client\` first.\n`);
  process.exit(1);
}
process.env.PORT = values.port ?? process.env.PORT ?? '3000';
// The standalone server reads HOSTNAME, which shells and containers set to the machine's name.
process.env.HOSTNAME = values.hostname ?? '0.0.0.0';
await import(server);
