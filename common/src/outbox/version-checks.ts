import type { Connection } from 'mongoose';
import { isFerretDb } from './store-kind';

type Doc = Record<string, unknown>;
type UpdateOne = (filter: Doc, update: unknown, options?: Doc) => Promise<unknown>;
type FindOne = (filter: Doc, options?: Doc) => Promise<Doc | null>;

const installed = new WeakSet<object>();

/** `{ _id: <value>, <versionKey>: <number> }` and nothing else: the filter of a versioned save. */
function idAndVersion(filter: unknown, versionKey: string) {
  if (filter === null || typeof filter !== 'object') return undefined;
  const keys = Object.keys(filter);
  if (keys.length !== 2 || !keys.includes('_id') || !keys.includes(versionKey)) return undefined;
  const { _id: id, [versionKey]: version } = filter as Doc;
  // An operator (`{ $in: … }`) is not a single document's `_id`.
  const operator =
    id !== null && typeof id === 'object' && Object.getPrototypeOf(id) === Object.prototype;
  if (operator || typeof version !== 'number') return undefined;
  return { id, version };
}

/**
 * Makes versioned saves find their document by `_id` alone on FerretDB. Mongoose saves a model
 * with `optimisticConcurrency` by updating `{ _id, version }`; FerretDB v1 pushes no filter but a
 * lone `_id` down to its storage, so each such save read the whole collection (1.3 s per save at
 * 20k tasks). Every write of a versioned document in these services runs in its per-document
 * lock (`withDocumentLock`), so there the version is read by `_id` and the update applied by `_id`
 * while nothing else in the process can write the document: the same answer as the guarded
 * update (a stale version matches nothing, and mongoose raises its `VersionError`), for two
 * lookups instead of a scan. MongoDB keeps the atomic guarded update.
 *
 * Call once the connection is open and the models are registered; models added later keep
 * mongoose's own filter (correct, only slower on FerretDB).
 */
export async function checkVersionsById(connection: Connection): Promise<void> {
  if (!(await isFerretDb(connection))) return;
  for (const model of Object.values(connection.models)) {
    const { optimisticConcurrency, versionKey } = model.schema.options;
    if (!optimisticConcurrency || typeof versionKey !== 'string') continue;
    const collection = model.collection as unknown as { updateOne: UpdateOne; findOne: FindOne };
    if (installed.has(collection)) continue;
    installed.add(collection);
    const updateOne = collection.updateOne.bind(collection);
    const findOne = collection.findOne.bind(collection);
    // Only the version is needed to decide: a save does not read the document it writes.
    const versionOf = async (id: unknown, options?: Doc) => {
      const session = options?.session ? { session: options.session } : {};
      const found = await findOne({ _id: id }, { projection: { [versionKey]: 1 }, ...session });
      return found?.[versionKey];
    };

    collection.updateOne = async (filter, update, options) => {
      const guard = idAndVersion(filter, versionKey);
      if (!guard || options?.upsert) return updateOne(filter, update, options);
      if ((await versionOf(guard.id, options)) !== guard.version) {
        return {
          acknowledged: true,
          matchedCount: 0,
          modifiedCount: 0,
          upsertedCount: 0,
          upsertedId: null,
        };
      }
      return updateOne({ _id: guard.id }, update, options);
    };
    // A save with nothing to change checks that the document still has its version.
    collection.findOne = async (filter, options) => {
      const guard = idAndVersion(filter, versionKey);
      if (!guard) return findOne(filter, options);
      const found = await findOne({ _id: guard.id }, options);
      return found?.[versionKey] === guard.version ? found : null;
    };
  }
}
