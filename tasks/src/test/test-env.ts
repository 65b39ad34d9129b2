import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The root jest.setup-env.js reads `.local/test-env` with a `[A-Z_]+` name pattern, which skips
 * names with digits: the S3_* variables infra.sh writes there. Read those here until it does.
 */
export function loadS3TestEnv(): void {
  const file = join(__dirname, '..', '..', '..', '.local', 'test-env');
  if (!existsSync(file)) return;
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const match = /^(S3_[A-Z_]+)=(.*)$/.exec(line.trim());
    if (match?.[1] && process.env[match[1]] === undefined) process.env[match[1]] = match[2];
  }
}
