import { UserReplica, displayName } from '../models/user';
import type { Notifier } from '../services/notifier';

export interface ListenerDeps {
  notifier: Notifier;
}

/** The actor's name as the replica knows it now ("Someone" when unknown). */
export async function nameOf(userId: string | null | undefined): Promise<string> {
  if (!userId) return 'Someone';
  return displayName(await UserReplica.findById(userId).lean());
}
