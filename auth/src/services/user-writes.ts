import { documentLockKey, withDocumentLock } from '@taskforge/common';
import { User } from '../models/user';

/**
 * Runs a read-modify-write of one user's document after every earlier one in this process, and
 * never at the same time as the outbox relay's removal of a published event from that document
 * (FerretDB v1 does not isolate concurrent updates; see common's document lock).
 */
export function serializeUserWrite<T>(userId: string, write: () => Promise<T>): Promise<T> {
  return withDocumentLock(documentLockKey(User.modelName, userId), write);
}
