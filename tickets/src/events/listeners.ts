import type { Listener } from '@taskforge/common';
import { userReplicaListeners } from '../replicas/user';
import { UserDeletedListener } from './listeners/user-deleted-listener';

/** Every listener of the tickets service, run on its durable consumer `tickets`. */
export function ticketsListeners(deps: { eventsRecorded: () => void }): Listener[] {
  return [...userReplicaListeners, new UserDeletedListener(deps)];
}
