import { randomUUID } from 'node:crypto';
import {
  buildEvent,
  EVENT_STREAM,
  EventConsumer,
  SUBJECTS,
  type EventData,
} from '@taskforge/common';
import { consumerSettled, readEvents, waitFor } from '@taskforge/common/testing';
import request from 'supertest';
import { directoryUser, rowsOf } from '../../test/factories';
import { publish, requestMetadata, sampleData, userData } from '../../test/events';
import { setupTeamsTest, type TeamsTestContext } from '../../test/setup';
import { AUDIT_DURABLE, teamsAuditListeners } from '../listeners';
import { recordAuditEntry } from '../../models/audit-logs';
import { auditEntryFor } from '../audit-entry';

let ctx: TeamsTestContext;

beforeAll(async () => {
  ctx = await setupTeamsTest();
});
beforeEach(() => ctx.reset());
afterEach(() => ctx.stopConsumers());
afterAll(() => ctx.close());

interface AuditRow {
  event_id: string;
  subject: string;
  entity_type: string;
  entity_id: string;
  action: string;
  team_id: string | null;
  actor_id: string | null;
  previous_state: unknown;
  new_state: unknown;
  ip_address: string | null;
  user_agent: string | null;
}

const auditRows = () =>
  rowsOf<AuditRow>(
    ctx.pool,
    `SELECT event_id, subject, entity_type, entity_id, action, team_id, actor_id, previous_state,
            new_state, ip_address, user_agent
       FROM audit_logs ORDER BY id`,
  );

async function auditConsumerIdle() {
  await consumerSettled(ctx.bus.jsm, AUDIT_DURABLE);
}

describe('the audit log consumer', () => {
  it('records every subject of the catalogue once, with entity, action, team, actor and origin', async () => {
    await ctx.startConsumers();
    const teamId = randomUUID();
    const actorId = 'actor-1';
    const events = SUBJECTS.map((subject) =>
      buildEvent(subject, sampleData(subject, teamId), requestMetadata(actorId)),
    );
    await publish(ctx.bus, ...events);

    const rows = await waitFor(async () => {
      const found = await auditRows();
      return found.length === SUBJECTS.length ? found : undefined;
    });
    const bySubject = new Map(rows.map((row) => [row.subject, row]));
    for (const event of events) {
      const row = bySubject.get(event.subject)!;
      const [entityType, action] = event.subject.split('.');
      const data = event.data as { id?: string; userId?: string };
      // A deleted account's own entry keeps nothing of the request (see the forgetting tests).
      const forgotten = event.subject === 'user.deleted';
      expect(row).toMatchObject({
        event_id: event.id,
        entity_type: entityType,
        action,
        entity_id: entityType === 'member' ? data.userId : data.id,
        team_id: ['user', 'ticket', 'password-reset', 'email-verification'].includes(entityType!)
          ? null
          : teamId,
        actor_id: actorId,
        ip_address: forgotten ? null : '203.0.113.7',
        user_agent: forgotten ? null : 'Mozilla/5.0 (audit test)',
      });
    }
    // A reset link's token is recorded nowhere: only the fact of the request.
    const reset = bySubject.get('password-reset.requested')!;
    expect(JSON.stringify(reset)).not.toContain('a-secret-token-of-the-reset-link');
    expect(reset.new_state).toMatchObject({ email: 'someone@example.test' });
    // Nor a verification link's: the entry holds who asked, for which address, until when.
    const verification = bySubject.get('email-verification.requested')!;
    expect(JSON.stringify(verification)).not.toContain('a-secret-token-of-the-verification-link');
    const requested = verification.new_state as Record<string, unknown>;
    expect(Object.keys(requested).sort()).toEqual([
      'email',
      'expiresAt',
      'id',
      'userId',
      'version',
    ]);
    expect(requested).toMatchObject({ email: 'to-verify@example.test' });
  });

  it('keeps the before and after each kind of event carries', async () => {
    await ctx.startConsumers();
    const teamId = randomUUID();
    const subjects = [
      'task.updated',
      'member.updated',
      'team.updated',
      'task.created',
      'task.deleted',
    ] as const;
    await publish(
      ctx.bus,
      ...subjects.map((subject) => buildEvent(subject, sampleData(subject, teamId))),
    );
    const rows = await waitFor(async () => {
      const found = await auditRows();
      return found.length === subjects.length ? found : undefined;
    });
    const state = (subject: string) => {
      const row = rows.find((r) => r.subject === subject)!;
      return [row.previous_state, row.new_state];
    };
    expect(state('task.updated')).toEqual([{ status: 'todo' }, { status: 'done' }]);
    expect(state('member.updated')).toEqual([{ role: 'member' }, { role: 'guest' }]);
    expect(state('team.updated')).toEqual([{ name: 'T' }, { name: 'T2' }]);
    expect(state('task.created')[0]).toBeNull();
    expect(state('task.created')[1]).toMatchObject({ title: 'Write the docs', status: 'todo' });
    expect(state('task.deleted')[0]).toMatchObject({ title: 'Write the docs' });
    expect(state('task.deleted')[1]).toBeNull();
  });

  it('records an event whose text holds U+0000 (which jsonb refuses) with U+FFFD in its place', async () => {
    // MongoDB stores NUL; before, such a task's events were redelivered and never recorded.
    await ctx.startConsumers();
    const data = sampleData('task.created', randomUUID()) as EventData<'task.created'>;
    await publish(ctx.bus, buildEvent('task.created', { ...data, title: 'a\u0000b' }));
    const [row] = await waitFor(async () => {
      const found = await auditRows();
      return found.length === 1 ? found : undefined;
    });
    expect(row!.new_state).toMatchObject({ title: 'a\uFFFDb' });
  });

  it('records this service’s own writes with the request’s actor, IP and user agent', async () => {
    await ctx.startConsumers();
    const admin = await directoryUser(ctx.pool);
    const newcomer = await directoryUser(ctx.pool);
    const res = await request(ctx.app)
      .post('/api/teams')
      .set('Cookie', admin.cookie)
      .set('User-Agent', 'Browser/1.0')
      .set('X-Forwarded-For', '198.51.100.23')
      .send({ name: 'Audited' })
      .expect(201);
    await request(ctx.app)
      .post(`/api/teams/${res.body.id}/members`)
      .set('Cookie', admin.cookie)
      .set('User-Agent', 'Browser/1.0')
      .set('X-Forwarded-For', '198.51.100.23')
      .send({ email: newcomer.email, role: 'guest' })
      .expect(201);

    const rows = await waitFor(async () => {
      const found = (await auditRows()).filter((row) => row.team_id === res.body.id);
      return found.length === 3 ? found : undefined;
    });
    expect(rows.map((row) => [row.subject, row.entity_id])).toEqual(
      expect.arrayContaining([
        ['team.created', res.body.id],
        ['member.added', admin.id],
        ['member.added', newcomer.id],
      ]),
    );
    for (const row of rows) {
      expect(row).toMatchObject({
        actor_id: admin.id,
        ip_address: '198.51.100.23',
        user_agent: 'Browser/1.0',
      });
    }
  });

  it('records an event once when the same message is handled twice (a redelivery)', async () => {
    const consumer = new EventConsumer(ctx.bus, {
      durable: AUDIT_DURABLE,
      listeners: teamsAuditListeners(ctx.pool),
      logger: ctx.logger,
    });
    await consumer.ensure();
    const event = buildEvent('task.created', sampleData('task.created', randomUUID()));
    await publish(ctx.bus, event);
    const msg = await (await ctx.bus.js.consumers.get(EVENT_STREAM, AUDIT_DURABLE)).next();

    expect(await consumer.handle(msg!)).toBe('acked');
    expect(await consumer.handle(msg!)).toBe('acked');

    expect((await auditRows()).map((row) => row.event_id)).toEqual([event.id]);
  });

  it('records an event once when it is published again under another Nats-Msg-Id', async () => {
    await ctx.startConsumers();
    const event = buildEvent('comment.created', sampleData('comment.created', randomUUID()));
    await publish(ctx.bus, event);
    // A second copy that JetStream's duplicate window does not catch: same event id, new msg id.
    await ctx.bus.js.publish(event.subject, JSON.stringify(event), { msgID: randomUUID() });
    await auditConsumerIdle();

    const copies = (await readEvents(ctx.natsUrl, 'comment.created')).filter(
      (e) => e.id === event.id,
    );
    expect(copies).toHaveLength(2);
    expect((await auditRows()).map((row) => row.event_id)).toEqual([event.id]);
  });

  it('keeps the log append-only', async () => {
    await ctx.startConsumers();
    await publish(ctx.bus, buildEvent('ticket.created', sampleData('ticket.created', '')));
    await waitFor(async () => (await auditRows()).length === 1);
    await expect(ctx.pool.query("UPDATE audit_logs SET actor_id = 'someone'")).rejects.toThrow(
      /append-only/,
    );
    await expect(ctx.pool.query('DELETE FROM audit_logs')).rejects.toThrow(/append-only/);
  });
});

describe('the audit log forgetting a deleted user', () => {
  const alice = userData({
    firstName: 'Alice',
    lastName: 'Liddell',
    avatarUrl: 'https://a.test/me.png',
  });
  const bob = userData({ firstName: 'Robert', lastName: 'Dodgson' });
  const teamId = randomUUID();
  const aliceRequest = () => requestMetadata(alice.id);

  /** Events of Alice's account and actions, and one of Bob's, as their services record them. */
  const history = () => [
    buildEvent('user.created', alice, aliceRequest()),
    buildEvent('user.updated', { ...alice, version: 1, lastName: 'Hargreaves' }, aliceRequest()),
    buildEvent(
      'password-reset.requested',
      {
        ...(sampleData(
          'password-reset.requested',
          teamId,
        ) as EventData<'password-reset.requested'>),
        userId: alice.id,
        email: alice.email,
      },
      requestMetadata(''),
    ),
    buildEvent('task.created', sampleData('task.created', teamId), aliceRequest()),
    buildEvent(
      'member.added',
      { teamId, userId: alice.id, role: 'member', version: 0 },
      requestMetadata(bob.id),
    ),
    buildEvent('user.created', bob, requestMetadata(bob.id)),
    // A link to the address she was moving to: that address is hers too.
    buildEvent(
      'email-verification.requested',
      {
        ...(sampleData(
          'email-verification.requested',
          teamId,
        ) as EventData<'email-verification.requested'>),
        userId: alice.id,
        email: 'alice.new@example.test',
      },
      requestMetadata(''),
    ),
  ];
  const deleted = () => buildEvent('user.deleted', { id: alice.id, version: 2 }, aliceRequest());

  const rowOf = (rows: AuditRow[], eventId: string) => rows.find((r) => r.event_id === eventId)!;

  /** Nothing in the log says who Alice was, only what her id did. */
  function expectForgotten(rows: AuditRow[]) {
    const text = JSON.stringify(rows);
    for (const personal of [
      alice.email,
      'alice.new@example.test',
      'Alice',
      'Liddell',
      'Hargreaves',
      'https://a.test/me.png',
    ]) {
      expect(text).not.toContain(personal);
    }
  }

  function expectAliceForgotten(rows: AuditRow[], events: ReturnType<typeof history>) {
    const [created, updated, reset, task, added, bobCreated, verification] = events;
    expectForgotten(rows);
    expect(rowOf(rows, created!.id)).toMatchObject({
      subject: 'user.created',
      entity_id: alice.id,
      actor_id: alice.id,
      previous_state: null,
      new_state: { id: alice.id, version: 0 },
      ip_address: null,
      user_agent: null,
    });
    expect(rowOf(rows, updated!.id)).toMatchObject({
      new_state: { id: alice.id, version: 1 },
      ip_address: null,
    });
    expect(rowOf(rows, reset!.id).new_state).toEqual({
      id: (reset!.data as { id: string }).id,
      version: 0,
      userId: alice.id,
      expiresAt: (reset!.data as { expiresAt: string }).expiresAt,
    });
    // What she did stays (the audit log is about that), without where she did it from.
    expect(rowOf(rows, task!.id)).toMatchObject({
      actor_id: alice.id,
      new_state: { title: 'Write the docs' },
      ip_address: null,
      user_agent: null,
    });
    // What others did to her stays as recorded: a member entry holds only her id.
    expect(rowOf(rows, added!.id)).toMatchObject({
      entity_id: alice.id,
      new_state: { teamId, userId: alice.id, role: 'member', version: 0 },
      ip_address: '203.0.113.7',
    });
    expect(rowOf(rows, bobCreated!.id).new_state).toMatchObject({ email: bob.email });
    // Recorded without an actor: only the userId it carries makes it hers.
    expect(rowOf(rows, verification!.id).new_state).toEqual({
      id: (verification!.data as { id: string }).id,
      version: 0,
      userId: alice.id,
      expiresAt: (verification!.data as { expiresAt: string }).expiresAt,
    });
    expect(rowOf(rows, verification!.id)).toMatchObject({
      actor_id: null,
      ip_address: null,
      user_agent: null,
    });
  }

  it('scrubs what it recorded of the user and records user.deleted itself, without their data', async () => {
    await ctx.startConsumers();
    const events = history();
    await publish(ctx.bus, ...events);
    await waitFor(async () => (await auditRows()).length === events.length);
    expect(JSON.stringify(await auditRows())).toContain(alice.email);

    const deletion = deleted();
    await publish(ctx.bus, deletion);
    const rows = await waitFor(async () => {
      const found = await auditRows();
      return found.length === events.length + 1 ? found : undefined;
    });

    expectAliceForgotten(rows, events);
    expect(rowOf(rows, deletion.id)).toMatchObject({
      subject: 'user.deleted',
      entity_id: alice.id,
      previous_state: { id: alice.id, version: 2 },
      new_state: null,
      ip_address: null,
      user_agent: null,
    });
    const [recorded] = await rowsOf<{ occurred_at: Date }>(
      ctx.pool,
      'SELECT occurred_at FROM audit_logs WHERE event_id = $1',
      [events[0]!.id],
    );
    expect(recorded!.occurred_at.toISOString()).toBe(events[0]!.occurredAt);
  });

  it('stores what arrives after user.deleted without the user’s data (a late user.updated)', async () => {
    await ctx.startConsumers();
    await publish(ctx.bus, deleted());
    await waitFor(async () => (await auditRows()).length === 1);

    const events = history();
    await publish(ctx.bus, ...events);
    const rows = await waitFor(async () => {
      const found = await auditRows();
      return found.length === events.length + 1 ? found : undefined;
    });
    expectAliceForgotten(rows, events);
  });

  it('forgets once when user.deleted is handled twice (a redelivery)', async () => {
    await ctx.startConsumers();
    const events = history();
    await publish(ctx.bus, ...events);
    await waitFor(async () => (await auditRows()).length === events.length);
    await ctx.stopConsumers();
    const consumer = new EventConsumer(ctx.bus, {
      durable: AUDIT_DURABLE,
      listeners: teamsAuditListeners(ctx.pool),
      logger: ctx.logger,
    });
    const deletion = deleted();
    await publish(ctx.bus, deletion);
    const msg = await (await ctx.bus.js.consumers.get(EVENT_STREAM, AUDIT_DURABLE)).next();
    expect(msg?.json<{ id: string }>().id).toBe(deletion.id);

    expect(await consumer.handle(msg!)).toBe('acked');
    expect(await consumer.handle(msg!)).toBe('acked');

    const rows = await auditRows();
    expect(rows.filter((row) => row.subject === 'user.deleted')).toHaveLength(1);
    expectAliceForgotten(rows, events);
    expect(await rowsOf(ctx.pool, 'SELECT user_id FROM audit_deleted_users')).toEqual([
      { user_id: alice.id },
    ]);
  });

  it('keeps nothing of an entry recorded at the same moment as the user’s user.deleted', async () => {
    // Two pods of the audit durable: the late user.updated and user.deleted side by side.
    const rounds = 20;
    const users = Array.from({ length: rounds }, () => userData({ firstName: 'Concurrent' }));
    await Promise.all(
      users.flatMap((user) => [
        recordAuditEntry(
          ctx.pool,
          auditEntryFor(
            buildEvent('user.updated', { ...user, version: 1 }, requestMetadata(user.id)),
          ),
        ),
        recordAuditEntry(
          ctx.pool,
          auditEntryFor(buildEvent('user.deleted', { id: user.id, version: 2 })),
          { forget: user.id },
        ),
      ]),
    );
    const rows = await auditRows();
    expect(rows).toHaveLength(2 * rounds);
    expect(JSON.stringify(rows)).not.toContain('Concurrent');
  });

  it('lets only the forgetting rewrite an entry, and only its states, IP and user agent', async () => {
    await ctx.startConsumers();
    await publish(ctx.bus, buildEvent('user.created', bob, requestMetadata(bob.id)));
    await waitFor(async () => (await auditRows()).length === 1);
    await expect(ctx.pool.query("UPDATE audit_logs SET new_state = '{}'")).rejects.toThrow(
      /append-only/,
    );

    const client = await ctx.pool.connect();
    try {
      await client.query('BEGIN');
      await client.query(`SELECT set_config('audit_logs.forget_user', 'on', true)`);
      await expect(client.query("UPDATE audit_logs SET actor_id = 'someone'")).rejects.toThrow(
        /append-only/,
      );
      await client.query('ROLLBACK');
      await client.query('BEGIN');
      await client.query(`SELECT set_config('audit_logs.forget_user', 'on', true)`);
      await client.query("UPDATE audit_logs SET new_state = '{}', ip_address = NULL");
      await client.query('COMMIT');
    } finally {
      client.release();
    }
    await expect(ctx.pool.query('DELETE FROM audit_logs')).rejects.toThrow(/append-only/);
  });
});
