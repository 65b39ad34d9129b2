import type { OutboxStore } from '@taskforge/common';

/*
 * FerretDB v1 (the local and test MongoDB) applies an update by reading the document and writing
 * it back without isolation: two concurrent updates of one document both "match" even with a
 * `version` filter, and the last write wins. So optimistic concurrency alone would lose updates
 * there, and the relay's `$pop` could overwrite a concurrent save. Within one process every write
 * to a user document therefore goes through this per-user queue; on MongoDB, across pods, the
 * version check still does the job.
 */
const tails = new Map<string, Promise<unknown>>();

/** The outbox relay's group for a user, so its writes queue with the routes' (`Model:id`). */
const keyFor = (userId: string) => `User:${userId}`;

async function serialize<T>(key: string, write: () => Promise<T>): Promise<T> {
  const run = (tails.get(key) ?? Promise.resolve()).then(write);
  const tail = run.catch(() => undefined);
  tails.set(key, tail);
  try {
    return await run;
  } finally {
    if (tails.get(key) === tail) tails.delete(key);
  }
}

/** Runs `write` after every earlier write to this user in this process has finished. */
export function serializeUserWrite<T>(userId: string, write: () => Promise<T>): Promise<T> {
  return serialize(keyFor(userId), write);
}

/** The outbox store with each "mark published" queued behind the routes' writes to that user. */
export function serializedOutboxStore(store: OutboxStore): OutboxStore {
  return {
    async fetchPending(limit) {
      const pending = await store.fetchPending(limit);
      return pending.map((item) => ({
        ...item,
        markPublished: () => serialize(item.group, () => item.markPublished()),
      }));
    },
  };
}
