import { Schema, type Model } from 'mongoose';
import type { EventData, Subject } from '../events/catalogue';
import { buildEvent, type EventEnvelope, type EventMetadata } from '../events/envelope';
import { documentLockKey, withDocumentLock } from './document-lock';
import { isFerretDb } from './store-kind';
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

/**
 * The events this process recorded and has not yet seen published, by model name and document
 * `_id`, each with when it was recorded: the relay reads these documents by `_id` instead of
 * searching the collection after every write.
 */
const recorded = new Map<string, Map<string, Map<string, number>>>();

/**
 * How long a recorded event missing from its document is still expected there. An event is
 * recorded before the save that stores it, so a relay run between the two must not forget it (it
 * would wait for the next full scan); a save that failed never stores it, so it is forgotten after
 * this long.
 */
const RECORDED_GRACE_MS = 60_000;

function forgetRecorded(modelName: string, id: string, eventId: string): void {
  const ids = recorded.get(modelName);
  const events = ids?.get(id);
  if (!ids || !events) return;
  events.delete(eventId);
  if (events.size === 0) ids.delete(id);
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
  const modelName = (doc as { constructor?: { modelName?: unknown } }).constructor?.modelName;
  const id = (doc as { _id?: unknown })._id;
  if (typeof modelName === 'string' && id !== undefined && id !== null) {
    const ids = recorded.get(modelName) ?? new Map<string, Map<string, number>>();
    recorded.set(modelName, ids);
    const events = ids.get(String(id)) ?? new Map<string, number>();
    ids.set(String(id), events);
    events.set(event.id, Date.now());
  }
  return event;
}

/**
 * Finds documents with pending events across the given models and removes each event once it
 * has been published with a guarded `$pop` of the outbox head (FerretDB v1 has no conditional
 * `$pull`). Routes that modify such a document wrap their read-modify-save in
 * `withDocumentLock(documentLockKey(model.modelName, id), …)`.
 *
 * A run reads the documents this process recorded events on by `_id`, and searches the whole
 * collection only every `fullScanIntervalMs` (and on its first run): that search finds what a
 * crash or another pod left behind. On MongoDB it is an indexed query; on FerretDB v1, which
 * pushes no filter but a lone `_id` down to its storage, it reads every document, and running it
 * after every write was what slowed writes most as collections grew (see bench/results).
 */
export class MongoOutboxStore implements OutboxStore {
  private lastFullScan = Number.NEGATIVE_INFINITY;

  constructor(
    // The models hold different documents; the store reads and writes only their outbox field.
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    private readonly models: Model<any>[],
    private readonly options: { fullScanIntervalMs?: number } = {},
  ) {}

  /**
   * 5 s on MongoDB. On FerretDB the search reads every document (3.4 s at 10k tasks, slowing every
   * request meanwhile), and a service runs there as one pod that tracks its own events until they
   * are published: what a crash left is found by the first run, so it searches every 5 minutes.
   */
  private async fullScanIntervalMs(): Promise<number> {
    if (this.options.fullScanIntervalMs !== undefined) return this.options.fullScanIntervalMs;
    const first = this.models[0];
    return first && (await isFerretDb(first.db)) ? 300_000 : 5000;
  }

  async fetchPending(limit: number): Promise<PendingEvent[]> {
    const fullScan = Date.now() - this.lastFullScan >= (await this.fullScanIntervalMs());
    if (fullScan) this.lastFullScan = Date.now();
    const pending: PendingEvent[] = [];
    for (const model of this.models) {
      const docs = fullScan
        ? await model
            .find({ 'outbox.id': { $exists: true } }, { outbox: 1 })
            .limit(limit)
            .lean<OutboxDoc[]>()
        : await this.recordedDocs(model, limit);
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
                if (await isFerretDb(model.db)) {
                  // The guard read by `_id`: a dotted filter is a collection scan on FerretDB.
                  const head = await model.findById(doc._id, { outbox: 1 }).lean<OutboxDoc>();
                  if (head?.outbox[0]?.id === event.id) {
                    await model.updateOne({ _id: doc._id }, { $pop: { outbox: -1 } });
                  }
                } else {
                  await model.updateOne(
                    { _id: doc._id, 'outbox.0.id': event.id },
                    { $pop: { outbox: -1 } },
                  );
                }
                forgetRecorded(model.modelName, String(doc._id), event.id);
              }),
          });
        }
      }
    }
    return pending;
  }

  /** The documents this process recorded events on that still hold some, read by `_id`. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  private async recordedDocs(model: Model<any>, limit: number): Promise<OutboxDoc[]> {
    const ids = recorded.get(model.modelName);
    if (!ids) return [];
    const docs: OutboxDoc[] = [];
    for (const [id, events] of [...ids].slice(0, limit)) {
      const doc = await model.findById(id, { outbox: 1 }).lean<OutboxDoc>();
      if (doc && doc.outbox.length > 0) docs.push(doc);
      // Missing from the document: its save is still under way (keep it), or failed long ago.
      const stored = new Set(doc?.outbox.map((event) => event.id));
      const expired = Date.now() - RECORDED_GRACE_MS;
      for (const [eventId, at] of [...events]) {
        if (!stored.has(eventId) && at < expired) forgetRecorded(model.modelName, id, eventId);
      }
    }
    return docs;
  }
}

interface OutboxDoc {
  _id: unknown;
  outbox: EventEnvelope[];
}
