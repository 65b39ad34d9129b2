import type { Listener } from '@taskforge/common';
import { membershipReplicaListeners } from '../replicas/membership';
import { teamReplicaListeners } from '../replicas/team';

/**
 * Every listener of the auth service, run on its durable consumer `auth`: its copy of the teams'
 * names and roles.
 */
export function authListeners(): Listener[] {
  return [...teamReplicaListeners, ...membershipReplicaListeners];
}
