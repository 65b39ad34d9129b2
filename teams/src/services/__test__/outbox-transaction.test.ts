import { writeInTransaction } from '@taskforge/common';
import { readEvents } from '@taskforge/common/testing';
import request from 'supertest';
import { directoryUser, rowsOf } from '../../test/factories';
import { setupTeamsTest, type TeamsTestContext } from '../../test/setup';
import { insertNewTeam } from '../team-writes';

let ctx: TeamsTestContext;

// No relay running: each test publishes with flush(), as the service's relay would.
beforeAll(async () => {
  ctx = await setupTeamsTest({ relay: false });
});
beforeEach(() => ctx.reset());
afterAll(() => ctx.close());

describe('events and the transaction of the write', () => {
  it('publishes nothing of a write whose transaction rolled back', async () => {
    const failure = new Error('the write failed after its change and events were made');
    let told = 0;

    await expect(
      writeInTransaction(
        ctx.pool,
        async (client) => {
          const written = await insertNewTeam(client, { name: 'Doomed' }, 'creator');
          expect(written.events.map((event) => event.subject)).toEqual([
            'team.created',
            'member.added',
          ]);
          throw failure;
        },
        { eventsRecorded: () => (told += 1) },
      ),
    ).rejects.toBe(failure);
    expect(told).toBe(0);

    expect(await rowsOf(ctx.pool, 'SELECT id FROM teams')).toEqual([]);
    expect(await rowsOf(ctx.pool, 'SELECT id FROM outbox')).toEqual([]);
    expect(await ctx.newRelay().flush()).toBe(0);
    expect(await readEvents(ctx.natsUrl)).toEqual([]);
  });

  it('publishes a committed write’s events once, even when the relay was down at the time', async () => {
    const creator = await directoryUser(ctx.pool);
    const res = await request(ctx.app)
      .post('/api/teams')
      .set('Cookie', creator.cookie)
      .send({ name: 'Kept' })
      .expect(201);
    expect(await readEvents(ctx.natsUrl)).toEqual([]);

    const relay = ctx.newRelay();
    expect(await relay.flush()).toBe(2);
    expect(await relay.flush()).toBe(0);
    const events = await readEvents(ctx.natsUrl);
    expect(events.map((e) => [e.subject, (e.data as { version: number }).version])).toEqual([
      ['team.created', 0],
      ['member.added', 0],
    ]);
    expect(events[0]?.data).toMatchObject({ id: res.body.id });
    expect(await rowsOf(ctx.pool, 'SELECT 1 FROM outbox WHERE published_at IS NULL')).toEqual([]);
  });

  it('leaves the transaction of a refused write with no events (409 on the last admin)', async () => {
    const admin = await directoryUser(ctx.pool);
    const res = await request(ctx.app)
      .post('/api/teams')
      .set('Cookie', admin.cookie)
      .send({ name: 'Solo' })
      .expect(201);
    await ctx.newRelay().flush();

    await request(ctx.app)
      .delete(`/api/teams/${res.body.id}/members/${admin.id}`)
      .set('Cookie', admin.cookie)
      .expect(409);
    expect(await ctx.newRelay().flush()).toBe(0);
  });
});
