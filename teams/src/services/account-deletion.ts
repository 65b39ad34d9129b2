import type { EventMetadata, RecordedEvent } from '@taskforge/common';
import {
  countAdmins,
  findActiveMembership,
  findLongestStandingMember,
  findTeamIdsOf,
} from '../models/memberships';
import { lockTeam } from '../models/teams';
import { endMembership, setMemberRole } from './membership-writes';
import { removeTeam, writeWithEvents, type WriteDeps } from './team-writes';

/** How a deleted account left one team. */
export type Departure = 'left' | 'handed-over' | 'team-deleted';

/**
 * Takes a deleted account out of one team, in one transaction on the locked team row, through
 * the writes a member leaving uses (member.removed at the membership's next version). The actor
 * of these writes is the user: deleting their account is them leaving.
 *
 * Auth refuses to delete the last admin of a team, but it judges from its own view of the teams,
 * which follows this service's events and can lag behind them (another admin demoted or removed
 * a moment before). So the user may still be a team's last admin here, and neither refusing (the
 * account is gone in auth) nor leaving the team with no admin (nobody could manage it again) will
 * do. When the team has other members, the one who joined first is made admin (member.updated)
 * before the user leaves; when the user is its only member, nobody is left to hand it to and
 * the team is deleted (team.deleted, which drops its memberships everywhere).
 *
 * Nothing to do (undefined) when the user is no longer a member: a redelivery after this team
 * was done, or the team went meanwhile.
 */
async function leaveTeam(
  deps: WriteDeps,
  teamId: string,
  userId: string,
  metadata: EventMetadata,
): Promise<Departure | undefined> {
  return writeWithEvents<Departure | undefined>(deps, metadata, async (client) => {
    const team = await lockTeam(client, teamId);
    const membership = team && (await findActiveMembership(client, teamId, userId));
    if (!team || !membership) return { result: undefined, events: [] };
    if (membership.role !== 'admin' || (await countAdmins(client, teamId)) > 1) {
      const { events } = await endMembership(client, membership);
      return { result: 'left', events };
    }
    const successor = await findLongestStandingMember(client, teamId, userId);
    if (!successor) {
      const { events } = await removeTeam(client, team);
      return { result: 'team-deleted', events };
    }
    const events: RecordedEvent[] = [];
    events.push(...(await setMemberRole(client, successor, 'admin')).events);
    events.push(...(await endMembership(client, membership)).events);
    return { result: 'handed-over', events };
  });
}

/**
 * Ends every current membership of a deleted account, a team at a time: a redelivery after a
 * crash finds only the teams not done yet. Call it once the user is a tombstone in the directory,
 * so no team can take them in after the memberships are read.
 */
export async function leaveEveryTeam(
  deps: WriteDeps,
  userId: string,
): Promise<Array<{ teamId: string; departure: Departure }>> {
  const metadata: EventMetadata = { actorId: userId };
  const departures: Array<{ teamId: string; departure: Departure }> = [];
  for (const teamId of await findTeamIdsOf(deps.pool, userId)) {
    const departure = await leaveTeam(deps, teamId, userId, metadata);
    if (departure) departures.push({ teamId, departure });
  }
  return departures;
}
