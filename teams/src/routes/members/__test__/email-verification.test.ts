import { buildEvent, type EventData } from '@taskforge/common';
import { consumerSettled, waitFor } from '@taskforge/common/testing';
import { AUDIT_DURABLE } from '../../../events/listeners';
import { EMAIL_NOT_VERIFIED } from '../../../services/membership-writes';
import { publish, userData } from '../../../test/events';
import {
  createTeam,
  directoryUser,
  memberEvents,
  rowsOf,
  signIn,
  teamWithRoles,
  type TestUser,
} from '../../../test/factories';
import { memberRequests, MEMBERS_PATH } from '../../../test/members';
import { expectDocumented } from '../../../test/openapi';
import { setupTeamsTest, type TeamsTestContext } from '../../../test/setup';

let ctx: TeamsTestContext;

beforeAll(async () => {
  ctx = await setupTeamsTest();
});
beforeEach(async () => {
  await ctx.reset();
  await ctx.startConsumers();
});
afterEach(() => ctx.stopConsumers());
afterAll(() => ctx.close());

const { post } = memberRequests(() => ctx.app);

type Newcomer = TestUser & { data: EventData<'user.created'> };

/** A signed-in user whose user.created (as auth publishes it) went through the stream. */
async function signedUp(fields: Partial<EventData<'user.created'>> = {}): Promise<Newcomer> {
  const user = signIn();
  const data = userData({ id: user.id, email: user.email, ...fields });
  await publish(ctx.bus, buildEvent('user.created', data, { actorId: user.id }));
  await waitFor(async () => (await emailVerifiedOf(user.id)) !== undefined);
  return { ...user, data };
}

const emailVerifiedOf = async (userId: string) =>
  (
    await rowsOf<{ email_verified: boolean }>(
      ctx.pool,
      'SELECT email_verified FROM users WHERE id = $1',
      [userId],
    )
  )[0]?.email_verified;

/** What this service wrote about the user joining the team: memberships, outbox, audit log. */
const writesAbout = async (teamId: string, userId: string) => ({
  memberships: await rowsOf(
    ctx.pool,
    'SELECT version FROM team_memberships WHERE team_id = $1 AND user_id = $2',
    [teamId, userId],
  ),
  outbox: await rowsOf(
    ctx.pool,
    `SELECT subject FROM outbox WHERE event -> 'data' ->> 'teamId' = $1
        AND event -> 'data' ->> 'userId' = $2`,
    [teamId, userId],
  ),
  audit: await rowsOf(
    ctx.pool,
    'SELECT subject FROM audit_logs WHERE team_id = $1 AND entity_id = $2',
    [teamId, userId],
  ),
});

const refusal = { errors: [{ message: EMAIL_NOT_VERIFIED, field: 'email' }] };

describe('adding a member whose email address is not verified', () => {
  it('refuses them by email (400 on email, nothing written) but adds them by user id', async () => {
    const admin = await directoryUser(ctx.pool);
    const team = await createTeam(ctx.app, admin);
    const newcomer = await signedUp({ emailVerified: false });
    expect(await emailVerifiedOf(newcomer.id)).toBe(false);

    const refused = await post(team.id, { email: newcomer.email.toUpperCase() }, admin);
    expect(refused.status).toBe(400);
    expectDocumented('post', MEMBERS_PATH, refused);
    // Nothing of the account: no id, no name, only that the address is not proven yet.
    expect(refused.body).toEqual(refusal);
    expect(await writesAbout(team.id, newcomer.id)).toEqual({
      memberships: [],
      outbox: [],
      audit: [],
    });

    const added = await post(team.id, { userId: newcomer.id, role: 'guest' }, admin);
    expect(added.status).toBe(201);
    expect(added.body).toMatchObject({ userId: newcomer.id, role: 'guest', version: 0 });
    // Already a member now, yet the address still names no one: the same refusal, not a 409.
    expect((await post(team.id, { email: newcomer.email }, admin)).body).toEqual(refusal);

    // The stream and the audit log hold the one member.added, the refusals none.
    const [event] = await memberEvents(ctx.natsUrl, team.id, newcomer.id, 1);
    expect(event).toMatchObject({ subject: 'member.added', data: { version: 0 } });
    const writes = await waitFor(async () => {
      const found = await writesAbout(team.id, newcomer.id);
      return found.audit.length > 0 ? found : undefined;
    });
    await consumerSettled(ctx.bus.jsm, AUDIT_DURABLE);
    expect(await writesAbout(team.id, newcomer.id)).toEqual(writes);
    expect(writes).toEqual({
      memberships: [{ version: 0 }],
      outbox: [{ subject: 'member.added' }],
      audit: [{ subject: 'member.added' }],
    });
  });

  it('adds them by email once user.updated says they verified it', async () => {
    const admin = await directoryUser(ctx.pool);
    const team = await createTeam(ctx.app, admin);
    const newcomer = await signedUp({ emailVerified: false, firstName: 'Ada' });
    expect((await post(team.id, { email: newcomer.email }, admin)).status).toBe(400);

    await publish(
      ctx.bus,
      buildEvent('user.updated', { ...newcomer.data, version: 1, emailVerified: true }),
    );
    await waitFor(async () => (await emailVerifiedOf(newcomer.id)) === true);

    const res = await post(team.id, { email: newcomer.email }, admin);
    expect(res.status).toBe(201);
    expectDocumented('post', MEMBERS_PATH, res);
    expect(res.body).toMatchObject({
      userId: newcomer.id,
      role: 'member',
      version: 0,
      email: newcomer.email,
      firstName: 'Ada',
    });
    const [event] = await memberEvents(ctx.natsUrl, team.id, newcomer.id, 1);
    expect(event?.subject).toBe('member.added');
  });

  it('counts a user event without emailVerified (from before verification) as verified', async () => {
    const admin = await directoryUser(ctx.pool);
    const team = await createTeam(ctx.app, admin);
    const veteran = await signedUp();
    expect(veteran.data).not.toHaveProperty('emailVerified');
    expect(await emailVerifiedOf(veteran.id)).toBe(true);

    const res = await post(team.id, { email: veteran.email }, admin);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ userId: veteran.id, email: veteran.email });
  });

  it('answers those who may not add members as it does for any address, before the check', async () => {
    const { team, member, outsider } = await teamWithRoles(ctx.app, ctx.pool);
    const newcomer = await signedUp({ emailVerified: false });
    for (const email of [newcomer.email, 'nobody@example.test']) {
      const hidden = await post(team.id, { email }, outsider);
      expect([hidden.status, hidden.body]).toEqual([
        404,
        { errors: [{ message: 'Team not found' }] },
      ]);
      const forbidden = await post(team.id, { email }, member);
      expect([forbidden.status, forbidden.body]).toEqual([
        403,
        { errors: [{ message: 'You need the member.manage permission in this team' }] },
      ]);
    }
  });
});
