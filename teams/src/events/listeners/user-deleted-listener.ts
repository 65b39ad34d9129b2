import {
  Listener,
  type EventData,
  type HandleResult,
  type ListenerContext,
} from '@taskforge/common';
import { tombstoneUser } from '../../replicas/user';
import { leaveEveryTeam } from '../../services/account-deletion';
import type { WriteDeps } from '../../services/team-writes';

/**
 * Forgets a deleted account: its directory row becomes a tombstone (by the version rule of
 * user.updated), then the user leaves every team they are still in. The tombstone commits first,
 * so a redelivery after a crash in between is a duplicate, which still finishes the teams; an
 * early one (the user's last update has not arrived) waits.
 */
export class UserDeletedListener extends Listener<'user.deleted'> {
  readonly subject = 'user.deleted' as const;

  constructor(private readonly deps: WriteDeps) {
    super();
  }

  async onMessage(
    data: EventData<'user.deleted'>,
    { logger }: ListenerContext<'user.deleted'>,
  ): Promise<HandleResult> {
    const decision = await tombstoneUser(this.deps.pool, data);
    logger.debug({ userId: data.id, version: data.version, decision }, 'user.deleted');
    if (decision === 'future') return 'retry';
    const departures = await leaveEveryTeam(this.deps, data.id);
    if (departures.length > 0) logger.info({ userId: data.id, departures }, 'deleted user left');
    return 'ack';
  }
}
