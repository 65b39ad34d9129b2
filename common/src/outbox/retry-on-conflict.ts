import { setTimeout as sleep } from 'node:timers/promises';

/** How often a write is tried before its conflict goes on (a VersionError 409, a deadlock 503). */
const ATTEMPTS = 12;

function isVersionConflict(err: unknown): boolean {
  return (err as { name?: unknown } | null)?.name === 'VersionError';
}

/**
 * FerretDB v2 + DocumentDB answers some of several concurrent inserts of one value under a
 * unique index with PostgreSQL's "deadlock detected" (code 16908292) instead of the duplicate
 * key (11000) the others get; PostgreSQL rolled that insert back, and trying it again gets the
 * real answer.
 */
export function isStoreDeadlock(err: unknown): boolean {
  const e = err as { name?: unknown; code?: unknown; message?: unknown } | null;
  return (
    e?.name === 'MongoServerError' &&
    (e.code === 16908292 || /deadlock detected/.test(String(e.message ?? '')))
  );
}

/**
 * Runs a read-modify-save of one document again when its save met a concurrent write of the
 * same document (mongoose's `VersionError`), or a write again when the store broke a deadlock
 * with it (`isStoreDeadlock`). The store applies each update of a document
 * atomically and the save is guarded by the version it read, so of several concurrent writers,
 * in this process or in another pod, one gets through and the others read its result and apply
 * their change on top of it. `work` must read the document itself. After the last attempt the
 * error goes on: a `VersionError` is answered 409, a deadlock 503.
 */
export async function retryOnConflict<T>(work: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await work();
    } catch (err) {
      if (!(isVersionConflict(err) || isStoreDeadlock(err)) || attempt >= ATTEMPTS) throw err;
      // A short random pause spreads the writers that lost the same round.
      await sleep(Math.random() * 3 * attempt);
    }
  }
}
