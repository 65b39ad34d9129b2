import type { Connection } from 'mongoose';

const probes = new WeakMap<Connection, Promise<boolean>>();

/**
 * Whether the connection's server is FerretDB (v1). It answers a filter other than a lone `_id`
 * by reading every document of the collection, and applies an update by reading the document and
 * writing it back without isolation, so a guard beside the `_id` (`version`, the outbox head)
 * costs a collection scan there and is not atomic anyway: on FerretDB such guards are checked by
 * a read by `_id` in the process's per-document order instead. Asked once per connection.
 */
export function isFerretDb(connection: Connection): Promise<boolean> {
  let probe = probes.get(connection);
  if (!probe) {
    probe = connection
      .asPromise()
      .then((open) => open.db!.admin().command({ buildInfo: 1 }))
      .then((info) => typeof info.ferretdbVersion === 'string');
    // A failed probe is asked again next time rather than remembered.
    probe.catch(() => probes.delete(connection));
    probes.set(connection, probe);
  }
  return probe;
}
