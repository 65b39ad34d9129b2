import {
  Listener,
  resultFor,
  type EventData,
  type HandleResult,
  type ListenerContext,
} from '@taskforge/common';
import type { Pool } from 'pg';
import { applyUserEvent } from '../../db/users';

/** Adds a new user to the directory members are looked up in. */
export class UserCreatedListener extends Listener<'user.created'> {
  readonly subject = 'user.created' as const;

  constructor(private readonly pool: Pool) {
    super();
  }

  async onMessage(
    data: EventData<'user.created'>,
    { logger }: ListenerContext<'user.created'>,
  ): Promise<HandleResult> {
    const decision = await applyUserEvent(this.pool, data);
    logger.debug({ userId: data.id, version: data.version, decision }, 'user.created');
    return resultFor(decision);
  }
}
