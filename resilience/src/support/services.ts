import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { startServiceProcess, testKeys, type ServiceProcess } from '@taskforge/common/testing';
import { SERVICES, type ServiceName } from '@taskforge/topology';

export const ROOT = join(__dirname, '..', '..', '..');

export type { ServiceName };

/** A database name of this test file's own on a shared server. */
export function databaseUrl(base: string, prefix: string): string {
  const url = new URL(base);
  url.pathname = `/${prefix}_${process.pid}_${randomBytes(3).toString('hex')}`;
  return url.toString();
}

/** What each service needs besides the stores: keys, SMTP, object storage (from test-env). */
function serviceEnv(name: ServiceName): Record<string, string> {
  const keys = testKeys();
  const env: Record<string, string> = {
    JWT_PUBLIC_KEY: keys.publicKey,
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent',
    // Fault tests write in bursts from one address.
    RATE_LIMIT_MAX: '1000000',
  };
  if (name === 'auth') {
    env.JWT_PRIVATE_KEY = keys.privateKey;
    // Failed sign-ins count per address in auth's Redis keys, which every suite's auth shares
    // (and keeps for the window): from one address, the suites together would pass the limit.
    // rate-limit.test.ts checks that limit from an address of its own.
    env.SIGNIN_MAX_FAILURES_PER_IP = '1000000';
    // Likewise the confirmations of verification links (and password resets) per address: every
    // suite verifies its people's addresses.
    env.PASSWORD_RESET_MAX_PER_IP = '1000000';
  }
  if (name === 'notifications') {
    // Nothing listens there: e-mails wait for their retries, which these tests do not need.
    env.SMTP_HOST = '127.0.0.1';
    env.SMTP_PORT = '9';
  }
  return env;
}

/** Runs the service's real `src/index.ts` (through tsx) and waits until it is ready. */
export function startService(
  name: ServiceName,
  env: Record<string, string>,
  readyTimeoutMs = 120_000,
  keepOutput = false,
): Promise<ServiceProcess> {
  const { workspace } = SERVICES.find((service) => service.name === name)!;
  return startServiceProcess({
    cwd: join(ROOT, workspace),
    env: { ...serviceEnv(name), ...env },
    readyTimeoutMs,
    keepOutput,
  });
}

/**
 * Starts services side by side; if one fails, stops those that started before rethrowing, so
 * a failed start leaves no process behind (one would go on taking jobs off the shared Redis).
 */
export async function startAll<T extends readonly Promise<ServiceProcess>[]>(
  starts: [...T],
): Promise<{ [K in keyof T]: Awaited<T[K]> }> {
  const settled = await Promise.allSettled(starts);
  const failed = settled.find(
    (result): result is PromiseRejectedResult => result.status === 'rejected',
  );
  if (failed) {
    await Promise.all(
      settled.map((result) =>
        result.status === 'fulfilled' ? result.value.stop('SIGKILL') : undefined,
      ),
    );
    throw failed.reason;
  }
  return settled.map((result) => (result as PromiseFulfilledResult<ServiceProcess>).value) as {
    [K in keyof T]: Awaited<T[K]>;
  };
}
