import type { Model } from 'mongoose';
import {
  ACCOUNT_DELETED,
  cachedSessionVersions,
  type SessionVersions,
} from '../middlewares/current-user';
import { retryOnConflict } from '../outbox/retry-on-conflict';
import type { EventData, Subject } from './catalogue';
import { Listener } from './listener';
import { decideVersion, resultFor, type HandleResult, type VersionDecision } from './versioning';

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

/**
 * The listener most replicas are made of: the event's `fields` written to the document it is
 * about by the version rule (`applyVersioned`), acked when applied or a duplicate, left for
 * redelivery when early. `id` names the document when the event has no `id` of its own (a
 * membership: team and user).
 */
export function replicaListener<S extends Subject>(
  subject: S,
  // The replicas hold different documents; only `_id` and `version` are read here.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  model: Model<any>,
  fields: (data: EventData<S>) => Record<string, unknown>,
  options: { id?: (data: EventData<S>) => string } = {},
): Listener<S> {
  return new (class extends Listener<S> {
    readonly subject = subject;

    async onMessage(data: EventData<S>): Promise<HandleResult> {
      const id = options.id?.(data) ?? (data as { id: string }).id;
      return resultFor(await applyVersioned(model, { id, version: data.version }, fields(data)));
    }
  })();
}
