import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from '../logger';

/**
 * How long a service's start-up waits for its store. In Kubernetes the store's pod may still be
 * starting when the service's is: a headless Service's name resolves only once its pod is Ready,
 * and PostgreSQL refuses connections while it recovers. Waiting here, instead of exiting and
 * being restarted, keeps a fresh deploy free of restarts; past this the service exits 1 as before.
 */
export const STORE_WAIT_MS = 120_000;

const UNREACHABLE_CODES = new Set([
  'EAI_AGAIN',
  'ENOTFOUND',
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  // PostgreSQL: the database system is starting up / shutting down.
  '57P03',
  '57P01',
]);

/** An error that says the server is not there yet, rather than that something is wrong. */
export function isUnreachable(err: unknown): boolean {
  const e = err as { name?: string; code?: unknown; message?: string } | null;
  if (!e) return false;
  if (e.name === 'MongooseServerSelectionError' || e.name === 'MongoServerSelectionError') {
    return true;
  }
  if (typeof e.code === 'string' && UNREACHABLE_CODES.has(e.code)) return true;
  return /connection refused|connection terminated|timeout exceeded when trying to connect/i.test(
    e.message ?? '',
  );
}

/**
 * Runs `attempt` until it succeeds, retrying (0.5 s, doubling to 5 s) while it fails because
 * the server cannot be reached yet, for at most `waitMs`. Any other error, or the last one once
 * the time is up, is thrown.
 */
export async function untilReachable<T>(
  what: string,
  attempt: () => Promise<T>,
  logger: Pick<Logger, 'warn'>,
  waitMs = STORE_WAIT_MS,
): Promise<T> {
  const deadline = Date.now() + waitMs;
  let delay = 500;
  for (;;) {
    try {
      return await attempt();
    } catch (err) {
      if (!isUnreachable(err) || Date.now() + delay > deadline) throw err;
      logger.warn(
        { reason: (err as Error).message, retryInMs: delay },
        `${what} cannot be reached yet; waiting`,
      );
      await sleep(delay);
      delay = Math.min(delay * 2, 5_000);
    }
  }
}
