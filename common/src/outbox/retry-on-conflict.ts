import { setTimeout as sleep } from 'node:timers/promises';

/** How often a read-modify-save is tried before its conflict is answered (409). */
const ATTEMPTS = 12;

function isVersionConflict(err: unknown): boolean {
  return (err as { name?: unknown } | null)?.name === 'VersionError';
}

/**
 * Runs a read-modify-save of one document again when its save met a concurrent write of the
 * same document (mongoose's `VersionError`). The store applies each update of a document
 * atomically and the save is guarded by the version it read, so of several concurrent writers,
 * in this process or in another pod, one gets through and the others read its result and apply
 * their change on top of it. `work` must read the document itself. After the last attempt the
 * `VersionError` goes on, answered 409 by the error middleware.
 */
export async function retryOnConflict<T>(work: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await work();
    } catch (err) {
      if (!isVersionConflict(err) || attempt >= ATTEMPTS) throw err;
      // A short random pause spreads the writers that lost the same round.
      await sleep(Math.random() * 3 * attempt);
    }
  }
}
