import {
  Listener,
  resultFor,
  type EventData,
  type HandleResult,
  type ListenerContext,
} from '@taskforge/common';
import type { Pool } from 'pg';
import { applyUserEvent } from '../../db/users';

/** Keeps a user's email and names in the directory current, one version at a time. */
export class UserUpdatedListener extends Listener<'user.updated'> {
  readonly subject = 'user.updated' as const;

  constructor(private readonly pool: Pool) {
    super();
  }

  async onMessage(
    data: EventData<'user.updated'>,
    { logger }: ListenerContext<'user.updated'>,
  ): Promise<HandleResult> {
    const decision = await applyUserEvent(this.pool, data);
    logger.debug({ userId: data.id, version: data.version, decision }, 'user.updated');
    return resultFor(decision);
  }
}
