import { Schema, type Model } from 'mongoose';
import type { EventData, Subject } from '../events/catalogue';
import { buildEvent, type EventEnvelope, type EventMetadata } from '../events/envelope';
import type { OutboxStore, PendingEvent, PendingStats } from './relay';

/** Pending events live inside the document they describe, written by the same update. */
export interface OutboxFields {
  outbox: EventEnvelope[];
}

const outboxEventSchema = new Schema<EventEnvelope>(
  {
    id: { type: String, required: true },
    subject: { type: String, required: true },
    schemaVersion: { type: Number, required: true },
    occurredAt: { type: String, required: true },
    data: { type: Schema.Types.Mixed, required: true },
    metadata: { type: Schema.Types.Mixed, default: {} },
  },
  { _id: false, minimize: false },
);

/** Adds the `outbox` array to a schema and keeps it out of JSON responses. */
export function outboxPlugin(schema: Schema): void {
  schema.add({ outbox: { type: [outboxEventSchema], default: [] } });
  schema.index({ 'outbox.id': 1 }, { sparse: true });
}

/** Records an event on the document; it is stored by the document's next save. */
export function recordEvent<S extends Subject>(
  doc: { outbox: EventEnvelope[] },
  subject: S,
  data: EventData<S>,
  metadata?: EventMetadata,
): EventEnvelope<S> {
  const event = buildEvent(subject, data, metadata);
  doc.outbox.push(event as EventEnvelope);
  return event;
}

/**
 * Finds documents with pending events across the given models (an indexed query on
 * `outbox.id`, so its cost follows the pending events, not the collection) and, once events have
 * been published, removes them by id from their documents, one `$pull` per model for a whole
 * batch.
 *
 * Nothing here is per process: the store applies each update of a document atomically, so a
 * route's save that appends an event and the relay's removal of published ones never overwrite
 * each other, and several pods of a service can run their relays on one database. Two relays
 * that read the same event both publish it; JetStream drops the second by its `Nats-Msg-Id`, and
 * removing an event already removed changes nothing.
 */
export class MongoOutboxStore implements OutboxStore<MongoPendingEvent> {
  constructor(
    // The models hold different documents; the store reads and writes only their outbox field.
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    private readonly models: Model<any>[],
  ) {}

  async fetchPending(limit: number): Promise<MongoPendingEvent[]> {
    const pending: MongoPendingEvent[] = [];
    for (const model of this.models) {
      const docs = await model
        .find({ 'outbox.id': { $exists: true } }, { outbox: 1 })
        .limit(limit)
        .lean<OutboxDoc[]>();
      for (const doc of docs) {
        for (const event of doc.outbox) {
          pending.push({
            event,
            group: `${model.modelName}:${String(doc._id)}`,
            model,
            docId: doc._id,
          });
        }
      }
    }
    return pending;
  }

  /** Counted from the pending events alone (the same indexed match as `fetchPending`). */
  async pendingStats(): Promise<PendingStats> {
    let count = 0;
    let oldest: string | null = null;
    for (const model of this.models) {
      const [row] = await model.aggregate<{ count: number; oldest: string | null }>([
        { $match: { 'outbox.id': { $exists: true } } },
        { $unwind: '$outbox' },
        { $group: { _id: null, count: { $sum: 1 }, oldest: { $min: '$outbox.occurredAt' } } },
      ]);
      if (!row) continue;
      count += row.count;
      // ISO 8601 times in UTC, all written by toISOString: their text order is their time order.
      if (row.oldest && (oldest === null || row.oldest < oldest)) oldest = row.oldest;
    }
    return { count, oldest: oldest === null ? null : new Date(oldest) };
  }

  async markPublished(items: MongoPendingEvent[]): Promise<void> {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const byModel = new Map<Model<any>, { docs: Map<string, unknown>; eventIds: string[] }>();
    for (const item of items) {
      let entry = byModel.get(item.model);
      if (!entry) byModel.set(item.model, (entry = { docs: new Map(), eventIds: [] }));
      entry.docs.set(item.group, item.docId);
      entry.eventIds.push(item.event.id);
    }
    await Promise.all(
      [...byModel].map(([model, { docs, eventIds }]) =>
        model.updateMany(
          { _id: { $in: [...docs.values()] } },
          { $pull: { outbox: { id: { $in: eventIds } } } },
        ),
      ),
    );
  }
}

interface MongoPendingEvent extends PendingEvent {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  model: Model<any>;
  docId: unknown;
}

interface OutboxDoc {
  _id: unknown;
  outbox: EventEnvelope[];
}
