import type { Model } from 'mongoose';
import {
  ACCOUNT_DELETED,
  cachedSessionVersions,
  type SessionVersions,
} from '../middlewares/current-user';
import { retryOnConflict } from '../outbox/retry-on-conflict';
import { decideVersion, type VersionDecision } from './versioning';

interface Versioned {
  _id: string;
  version: number;
}

/**
 * The replica side of the version rule, for MongoDB replicas keyed by the owner's id:
 * version 0 inserts, version n updates only the document at n - 1. Returns what happened, so
 * the listener acks (`apply`, `duplicate`) or leaves the event for redelivery (`future`).
 */
export async function applyVersioned<T extends Versioned>(
  model: Model<T>,
  event: { id: string; version: number },
  fields: Record<string, unknown>,
): Promise<VersionDecision> {
  if (event.version === 0) {
    try {
      // Two consumers inserting the same replica: one wins, the other gets the duplicate key.
      await retryOnConflict(() =>
        model.create({ ...fields, _id: event.id, version: 0 } as Partial<T>),
      );
      return 'apply';
    } catch (err) {
      if ((err as { code?: number }).code === 11000) return 'duplicate';
      throw err;
    }
  }
  // In order, the common case, an event costs one write: the update is guarded by the version
  // it follows, atomically, so of two pods handling the same event only one applies it. Only
  // when it matched nothing (a duplicate, an early event, a replica not made yet) does a read
  // by `_id` tell which.
  const result = await model.updateOne(
    { _id: event.id, version: event.version - 1 } as never,
    {
      $set: { ...fields, version: event.version },
    } as never,
  );
  if (result.matchedCount === 1) return 'apply';
  const current = await model.findById(event.id, { version: 1 }).lean<{ version: number }>();
  const decision = decideVersion(current?.version ?? null, event.version);
  // The row reached the version before this one between our update and this read: try again.
  return decision === 'apply' ? 'future' : decision;
}

/** The reference app's `findByEvent`: the replica document this event follows, if present. */
export function findByEvent<T extends Versioned>(
  model: Model<T>,
  event: { id: string; version: number },
) {
  return model.findOne({ _id: event.id, version: event.version - 1 } as never);
}

/**
 * The session versions a service's MongoDB copy of the users holds (`sessionVersion`, from the
 * `user.*` events; a copy made before the field counts as 0; a tombstone left by `user.deleted`,
 * `deleted: true`, refuses every token), remembered for a second per user, for `createApp`'s
 * `sessionVersions`.
 */
export function replicaSessionVersions<
  T extends { _id: string; sessionVersion?: number; deleted?: boolean },
>(model: Model<T>): SessionVersions {
  return cachedSessionVersions(async (userId) => {
    const user = await model
      .findById(userId, { sessionVersion: 1, deleted: 1 })
      .lean<{ sessionVersion?: number; deleted?: boolean } | null>();
    if (!user) return undefined;
    return user.deleted ? ACCOUNT_DELETED : (user.sessionVersion ?? 0);
  });
}
