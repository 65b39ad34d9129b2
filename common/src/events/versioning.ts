/**
 * What a consumer does with an event about an entity it replicates, given the version it holds.
 * - `apply`: the event is exactly the next version.
 * - `duplicate`: already applied (or older): ack and ignore.
 * - `future`: an earlier event has not arrived yet: leave unacked so JetStream redelivers.
 */
export type VersionDecision = 'apply' | 'duplicate' | 'future';

export function decideVersion(
  current: number | null | undefined,
  incoming: number,
): VersionDecision {
  if (current === null || current === undefined) return incoming === 0 ? 'apply' : 'future';
  if (incoming <= current) return 'duplicate';
  return incoming === current + 1 ? 'apply' : 'future';
}

/**
 * A listener's verdict on a message: acked (`'ack'`, or `'stale'` when it was already applied
 * and ignored, which the consumer counts apart), or redelivered later (`'retry'`).
 */
export type HandleResult = 'ack' | 'stale' | 'retry';

export function resultFor(decision: VersionDecision): HandleResult {
  if (decision === 'future') return 'retry';
  return decision === 'duplicate' ? 'stale' : 'ack';
}
