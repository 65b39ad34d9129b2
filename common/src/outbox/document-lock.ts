/*
 * FerretDB v1, the MongoDB-compatible server of the local stack and the tests, applies an update
 * by reading the document and writing it back without isolation: concurrent updates of one
 * document all "match" a `version` filter and the last write wins. Optimistic concurrency alone
 * would then lose updates, and the relay removing a published event could overwrite an event
 * a route just added. So within a process every read-modify-write of a document that carries an
 * outbox goes through this per-document queue; across pods on MongoDB the version filter and
 * the document-level atomicity do the same job.
 */
const tails = new Map<string, Promise<unknown>>();

export function documentLockKey(modelName: string, id: unknown): string {
  return `${modelName}:${String(id)}`;
}

/** Runs `work` after every earlier locked work on the same key in this process has finished. */
export async function withDocumentLock<T>(key: string, work: () => Promise<T>): Promise<T> {
  const run = (tails.get(key) ?? Promise.resolve()).then(work);
  const tail = run.catch(() => undefined);
  tails.set(key, tail);
  try {
    return await run;
  } finally {
    if (tails.get(key) === tail) tails.delete(key);
  }
}
