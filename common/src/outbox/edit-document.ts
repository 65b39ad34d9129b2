import type { EventData, Subject } from '../events/catalogue';
import type { EventMetadata } from '../events/envelope';
import { recordEvent, type OutboxFields } from './mongo-outbox';
import { retryOnConflict } from './retry-on-conflict';

/** An event a change records, of any subject, with the data its catalogue entry wants. */
export type RecordedEvent = { [S in Subject]: { subject: S; data: EventData<S> } }[Subject];

/**
 * An owned document: its outbox, and the version every save bumps (mongoose `versionKey`). One
 * without a version key (a one-off request, such as a password reset) can only be created here.
 */
interface OwnedDocument extends OutboxFields {
  version?: number;
  isNew: boolean;
  isModified(): boolean;
  save(): Promise<unknown>;
}

/**
 * The one way to write an owned document with its events: `load` reads it (and throws the
 * route's 404 or 403 when it may not be changed), or makes a new one; `change` applies the change and returns the
 * events that describe it, given the version the save will give the document; the events go
 * into its outbox and the save stores both, guarded by the version it read. A save that meets
 * another request's (in this pod or another) starts again from a fresh `load`, so a change that
 * still applies goes in on top of the other, and one that does not is refused by `change` itself
 * (a precondition it checks); past `retryOnConflict`'s tries the conflict is answered 409.
 * No event, no save. The relay is told once the events are stored.
 */
export async function editDocument<D extends OwnedDocument>(
  load: () => Promise<D>,
  change: (doc: D, nextVersion: number) => Promise<RecordedEvent[]> | RecordedEvent[],
  options: { metadata?: EventMetadata; eventsRecorded: () => void },
): Promise<D> {
  let recorded = false;
  const doc = await retryOnConflict(async () => {
    const current = await load();
    if (!current.isNew && current.version === undefined) {
      throw new Error('Only a document with a version key can be edited with its events');
    }
    // A new document's first save gives it version 0; every later one adds 1.
    const events = await change(current, current.isNew ? 0 : current.version! + 1);
    if (events.length === 0) {
      // Every save moves the version each event of the document follows: one without an event
      // would leave a gap no replica gets past.
      if (current.isModified())
        throw new Error('A change of an owned document must record its event');
      return current;
    }
    for (const { subject, data } of events) {
      recordEvent(current, subject, data as EventData<typeof subject>, options.metadata);
    }
    await current.save();
    recorded = true;
    return current;
  });
  if (recorded) options.eventsRecorded();
  return doc;
}
