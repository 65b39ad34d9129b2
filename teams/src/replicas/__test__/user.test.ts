import { buildEvent, EVENT_STREAM, SESSION_VERSION_TTL_MS } from '@taskforge/common';
import { consumerSettled, signinCookie, waitFor } from '@taskforge/common/testing';
import request from 'supertest';
import { applyUserEvent, findUserById, sessionVersionOf, tombstoneUser } from '../user';
import { publish, userData } from '../../test/events';
import { setupTeamsTest, type TeamsTestContext } from '../../test/setup';
import { DIRECTORY_DURABLE } from '../../events/listeners';

let ctx: TeamsTestContext;

beforeAll(async () => {
  ctx = await setupTeamsTest();
});
beforeEach(() => ctx.reset());
afterEach(() => ctx.stopConsumers());
afterAll(() => ctx.close());

describe('applying user events to the directory', () => {
  it('inserts version 0 once; a second copy is a duplicate and changes nothing', async () => {
    const user = userData({ email: 'Ada@Example.test', firstName: 'Ada' });
    expect(await applyUserEvent(ctx.pool, user)).toBe('apply');
    expect(await applyUserEvent(ctx.pool, { ...user, firstName: 'Changed' })).toBe('duplicate');
    expect(await findUserById(ctx.pool, user.id)).toEqual({
      id: user.id,
      email: 'Ada@Example.test',
      firstName: 'Ada',
      lastName: 'Hopper',
      version: 0,
    });
  });

  it('applies only the next version: older ones are duplicates, later ones wait', async () => {
    const user = userData();
    await applyUserEvent(ctx.pool, user);

    expect(await applyUserEvent(ctx.pool, { ...user, version: 2, firstName: 'v2' })).toBe('future');
    expect((await findUserById(ctx.pool, user.id))?.version).toBe(0);

    expect(await applyUserEvent(ctx.pool, { ...user, version: 1, firstName: 'v1' })).toBe('apply');
    expect(await applyUserEvent(ctx.pool, { ...user, version: 1, firstName: 'again' })).toBe(
      'duplicate',
    );
    expect(await applyUserEvent(ctx.pool, { ...user, version: 2, firstName: 'v2' })).toBe('apply');
    expect(await findUserById(ctx.pool, user.id)).toMatchObject({ firstName: 'v2', version: 2 });
    expect(await applyUserEvent(ctx.pool, { ...user, version: 0 })).toBe('duplicate');
  });

  it('treats an update for a user it has not seen created as a future version', async () => {
    const user = userData({ version: 1 });
    expect(await applyUserEvent(ctx.pool, user)).toBe('future');
    expect(await findUserById(ctx.pool, user.id)).toBeUndefined();
  });
});

describe('the directory listeners on the teams durable consumer', () => {
  it('apply user events delivered out of order once the missing one arrives', async () => {
    await ctx.startConsumers();
    const user = userData({ firstName: 'v0' });
    await publish(
      ctx.bus,
      buildEvent('user.created', user),
      buildEvent('user.updated', {
        ...user,
        version: 2,
        firstName: 'v2',
        email: 'v2@example.test',
      }),
    );

    // Version 2 came before version 1: it is left for redelivery, not applied.
    await waitFor(async () => {
      const info = await ctx.bus.jsm.consumers.info(EVENT_STREAM, DIRECTORY_DURABLE);
      return info.num_redelivered > 0;
    });
    expect(await findUserById(ctx.pool, user.id)).toMatchObject({ firstName: 'v0', version: 0 });

    await publish(ctx.bus, buildEvent('user.updated', { ...user, version: 1, firstName: 'v1' }));
    const final = await waitFor(async () => {
      const row = await findUserById(ctx.pool, user.id);
      return row?.version === 2 ? row : undefined;
    });
    expect(final).toMatchObject({ firstName: 'v2', email: 'v2@example.test' });
  });

  it('ack a redelivered user.created without touching the row', async () => {
    await ctx.startConsumers();
    const user = userData({ firstName: 'First' });
    await publish(ctx.bus, buildEvent('user.created', user));
    await waitFor(() => findUserById(ctx.pool, user.id));
    await publish(
      ctx.bus,
      buildEvent('user.updated', { ...user, version: 1, firstName: 'Second' }),
    );
    await waitFor(async () => (await findUserById(ctx.pool, user.id))?.version === 1);

    // The same user.created again, as a redelivery after a lost ack would bring it.
    await publish(ctx.bus, buildEvent('user.created', { ...user, firstName: 'Stale' }));
    await consumerSettled(ctx.bus.jsm, DIRECTORY_DURABLE);
    expect(await findUserById(ctx.pool, user.id)).toMatchObject({
      firstName: 'Second',
      version: 1,
    });
  });
});

describe('email verification in the directory', () => {
  const emailVerifiedOf = async (userId: string) =>
    (
      await ctx.pool.query<{ email_verified: boolean }>(
        'SELECT email_verified FROM users WHERE id = $1',
        [userId],
      )
    ).rows[0]?.email_verified;

  it('stores what user.created and user.updated say, and verified when they say nothing', async () => {
    await ctx.startConsumers();
    const newcomer = userData({ emailVerified: false });
    const veteran = userData();
    await publish(
      ctx.bus,
      buildEvent('user.created', newcomer),
      buildEvent('user.created', veteran),
    );
    await waitFor(async () => (await emailVerifiedOf(newcomer.id)) !== undefined);
    await waitFor(async () => (await emailVerifiedOf(veteran.id)) !== undefined);
    expect(await emailVerifiedOf(newcomer.id)).toBe(false);
    expect(await emailVerifiedOf(veteran.id)).toBe(true);

    await publish(
      ctx.bus,
      buildEvent('user.updated', { ...newcomer, version: 1, emailVerified: true }),
    );
    await waitFor(async () => (await findUserById(ctx.pool, newcomer.id))?.version === 1);
    expect(await emailVerifiedOf(newcomer.id)).toBe(true);
  });

  it('leaves a tombstone as it is, whatever a late user.updated says', async () => {
    const user = userData({ emailVerified: false });
    await applyUserEvent(ctx.pool, user);
    expect(await tombstoneUser(ctx.pool, { id: user.id, version: 1 })).toBe('apply');
    expect(await applyUserEvent(ctx.pool, { ...user, version: 1, emailVerified: true })).toBe(
      'duplicate',
    );
    const { rows } = await ctx.pool.query(
      'SELECT email, email_verified, version FROM users WHERE id = $1',
      [user.id],
    );
    expect(rows).toEqual([{ email: null, email_verified: false, version: 1 }]);
  });
});

describe('session versions in the directory', () => {
  it('refuses a session the user ended elsewhere once user.updated says so, and takes the new one', async () => {
    await ctx.startConsumers();
    const user = userData();
    const ended = signinCookie({ id: user.id, email: user.email }, { sessionVersion: 0 });
    const renewed = signinCookie({ id: user.id, email: user.email }, { sessionVersion: 1 });
    const teamsOf = (cookie: string) => request(ctx.app).get('/api/teams').set('Cookie', cookie);
    await publish(ctx.bus, buildEvent('user.created', user));
    await waitFor(async () => (await findUserById(ctx.pool, user.id)) !== undefined);
    expect((await teamsOf(ended.cookie)).status).toBe(200);

    await publish(ctx.bus, buildEvent('user.updated', { ...user, version: 1, sessionVersion: 1 }));
    await waitFor(async () => (await sessionVersionOf(ctx.pool, user.id)) === 1);
    const applied = Date.now();
    await waitFor(async () => (await teamsOf(ended.cookie)).status === 401, { timeoutMs: 5000 });
    expect(Date.now() - applied).toBeLessThan(SESSION_VERSION_TTL_MS + 1000);
    expect((await teamsOf(renewed.cookie)).status).toBe(200);
  });
});
