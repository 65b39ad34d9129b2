import { applyVersioned, Listener, resultFor, type EventData } from '@taskforge/common';
import { Membership, membershipId, Team } from '../models/team-roles';

class TeamCreatedListener extends Listener<'team.created'> {
  readonly subject = 'team.created' as const;

  async onMessage(data: EventData<'team.created'>) {
    return resultFor(await applyVersioned(Team, data, { name: data.name, deleted: false }));
  }
}

class TeamUpdatedListener extends Listener<'team.updated'> {
  readonly subject = 'team.updated' as const;

  async onMessage(data: EventData<'team.updated'>) {
    return resultFor(await applyVersioned(Team, data, { name: data.name }));
  }
}

/** A deleted team has no admin to lose; its memberships may stay as they were. */
class TeamDeletedListener extends Listener<'team.deleted'> {
  readonly subject = 'team.deleted' as const;

  async onMessage(data: EventData<'team.deleted'>) {
    return resultFor(await applyVersioned(Team, data, { deleted: true }));
  }
}

type MemberSubject = 'member.added' | 'member.updated' | 'member.removed';

/** The three member events differ only in whether the membership is active afterwards. */
class MemberListener<S extends MemberSubject> extends Listener<S> {
  constructor(readonly subject: S) {
    super();
  }

  async onMessage(data: EventData<S>) {
    const membership = { id: membershipId(data.teamId, data.userId), version: data.version };
    const fields = {
      teamId: data.teamId,
      userId: data.userId,
      role: data.role,
      active: this.subject !== 'member.removed',
    };
    return resultFor(await applyVersioned(Membership, membership, fields));
  }
}

/** Every listener of the auth service, run on its durable consumer `auth`. */
export function authListeners(): Listener[] {
  return [
    new TeamCreatedListener(),
    new TeamUpdatedListener(),
    new TeamDeletedListener(),
    new MemberListener('member.added'),
    new MemberListener('member.updated'),
    new MemberListener('member.removed'),
  ];
}
