/*
 * A user's unread count moves in Redis (atomically, in any pod) and is then announced on the
 * live feed. Two changes of one user handled side by side in this process could announce their
 * counts in the other order and leave a browser showing the older one, so each user's
 * apply-and-announce (two Redis round trips, after the change's write to the store) runs after
 * the previous one of this process has finished. The writes need no such turn: the store applies
 * each write of a document atomically, and they run side by side.
 */
const tails = new Map<string, Promise<unknown>>();

/** Runs `work` after every earlier one for the same user in this process has finished. */
export async function inRecipientTurn<T>(userId: string, work: () => Promise<T>): Promise<T> {
  const run = (tails.get(userId) ?? Promise.resolve()).then(work);
  const tail = run.catch(() => undefined);
  tails.set(userId, tail);
  try {
    return await run;
  } finally {
    if (tails.get(userId) === tail) tails.delete(userId);
  }
}
