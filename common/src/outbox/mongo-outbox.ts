import { Schema, type Model } from 'mongoose';
import type { EventData, Subject } from '../events/catalogue';
import { buildEvent, type EventEnvelope, type EventMetadata } from '../events/envelope';
import { documentLockKey, withDocumentLock } from './document-lock';
import type { OutboxStore, PendingEvent } from './relay';

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
 * Finds documents with pending events across the given models and removes each event once it
 * has been published with a guarded `$pop` of the outbox head (FerretDB v1 has no conditional
 * `$pull`). Routes that modify such a document wrap their read-modify-save in
 * `withDocumentLock(documentLockKey(model.modelName, id), …)`.
 */
export class MongoOutboxStore implements OutboxStore {
  // The models hold different documents; the store reads and writes only their outbox field.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  constructor(private readonly models: Model<any>[]) {}

  async fetchPending(limit: number): Promise<PendingEvent[]> {
    const pending: PendingEvent[] = [];
    for (const model of this.models) {
      const docs = await model
        .find({ 'outbox.id': { $exists: true } }, { outbox: 1 })
        .limit(limit)
        .lean<{ _id: unknown; outbox: EventEnvelope[] }[]>();
      for (const doc of docs) {
        const key = documentLockKey(model.modelName, doc._id);
        for (const event of doc.outbox) {
          pending.push({
            event,
            group: key,
            // Events leave from the head, in order; the guard makes a repeat a no-op, and the
            // lock keeps the removal from racing a route's save of the same document.
            markPublished: () =>
              withDocumentLock(key, async () => {
                await model.updateOne(
                  { _id: doc._id, 'outbox.0.id': event.id },
                  { $pop: { outbox: -1 } },
                );
              }),
          });
        }
      }
    }
    return pending;
  }
}
