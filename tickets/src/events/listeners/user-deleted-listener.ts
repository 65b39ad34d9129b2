import {
  applyVersioned,
  Listener,
  resultFor,
  type EventData,
  type ListenerContext,
} from '@taskforge/common';
import { User } from '../../replicas/user';
import { deleteTicketsOfDeletedUser } from '../../services/delete-ticket';

/** The replica becomes a tombstone (every token refused), then the user's tickets go. */
export class UserDeletedListener extends Listener<'user.deleted'> {
  readonly subject = 'user.deleted' as const;

  constructor(private readonly deps: { eventsRecorded: () => void }) {
    super();
  }

  async onMessage(
    data: EventData<'user.deleted'>,
    { event, logger }: ListenerContext<'user.deleted'>,
  ) {
    const decision = await applyVersioned(User, data, { deleted: true });
    // Also on a duplicate: a crash between the tombstone and the tickets is finished by the
    // redelivery. The tombstone comes first, so the old session stops listing tickets, though
    // only once every pod's remembered session version has expired (`replicaSessionVersions`):
    // a ticket listed within that second outlives this sweep.
    if (decision !== 'future') {
      const deleted = await deleteTicketsOfDeletedUser(
        data.id,
        { actorId: event.metadata.actorId },
        this.deps.eventsRecorded,
      );
      if (deleted > 0) {
        logger.info({ userId: data.id, tickets: deleted }, "deleted account's tickets deleted");
      }
    }
    return resultFor(decision);
  }
}
