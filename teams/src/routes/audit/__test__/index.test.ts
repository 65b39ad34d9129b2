import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { insertAuditEntry, type NewAuditEntry } from '../../../models/audit-logs';
import { teamWithRoles, type TeamWithRoles, type TestUser } from '../../../test/factories';
import { expectDocumented } from '../../../test/openapi';
import { setupTeamsTest, type TeamsTestContext } from '../../../test/setup';

let ctx: TeamsTestContext;
let setup: TeamWithRoles;

beforeAll(async () => {
  ctx = await setupTeamsTest({ relay: false });
});
beforeEach(async () => {
  await ctx.reset();
  setup = await teamWithRoles(ctx.app, ctx.pool);
});
afterAll(() => ctx.close());

const PATH = '/api/teams/{id}/audit';
const at = (minute: number) => new Date(Date.UTC(2025, 4, 1, 12, minute));

/** Writes an entry the way the audit listener does, with what the test cares about. */
async function entry(overrides: Partial<NewAuditEntry> = {}): Promise<NewAuditEntry> {
  const full: NewAuditEntry = {
    eventId: randomUUID(),
    subject: 'task.updated',
    entityType: 'task',
    entityId: 'task-1',
    action: 'updated',
    teamId: setup.team.id,
    actorId: setup.admin.id,
    occurredAt: at(0),
    previousState: { status: 'todo' },
    newState: { status: 'done' },
    ipAddress: '203.0.113.7',
    userAgent: 'Browser/1.0',
    requestId: 'req-1',
    ...overrides,
  };
  await insertAuditEntry(ctx.pool, full);
  return full;
}

const audit = (query = '', user: TestUser = setup.admin) =>
  request(ctx.app).get(`/api/teams/${setup.team.id}/audit${query}`).set('Cookie', user.cookie);

const eventIds = (body: Array<{ eventId: string }>) => body.map((e) => e.eventId);

describe('GET /api/teams/:id/audit', () => {
  it('lists the team’s entries newest first, and only the team’s', async () => {
    const older = await entry({ occurredAt: at(1) });
    const newer = await entry({
      occurredAt: at(2),
      subject: 'member.updated',
      entityType: 'member',
      entityId: setup.guest.id,
      previousState: { role: 'guest' },
      newState: { role: 'member' },
    });
    await entry({ teamId: randomUUID() });
    await entry({ teamId: null, subject: 'user.created', entityType: 'user', action: 'created' });

    const res = await audit();

    expect(res.status).toBe(200);
    expectDocumented('get', PATH, res);
    expect(eventIds(res.body)).toEqual([newer.eventId, older.eventId]);
    expect(res.body[0]).toEqual({
      id: expect.stringMatching(/^\d+$/),
      eventId: newer.eventId,
      subject: 'member.updated',
      entityType: 'member',
      entityId: setup.guest.id,
      action: 'updated',
      teamId: setup.team.id,
      actorId: setup.admin.id,
      occurredAt: '2025-05-01T12:02:00.000Z',
      previousState: { role: 'guest' },
      newState: { role: 'member' },
      ipAddress: '203.0.113.7',
      userAgent: 'Browser/1.0',
      requestId: 'req-1',
    });
  });

  it('filters by entity type, entity id, actor, action and an inclusive time range', async () => {
    const a = await entry({ entityType: 'task', entityId: 't1', occurredAt: at(1) });
    const b = await entry({
      entityType: 'task',
      entityId: 't2',
      action: 'created',
      occurredAt: at(2),
    });
    const c = await entry({
      entityType: 'comment',
      entityId: 'c1',
      actorId: 'someone',
      occurredAt: at(3),
    });
    const d = await entry({
      entityType: 'member',
      entityId: 'u1',
      action: 'removed',
      occurredAt: at(4),
    });

    const ids = async (query: string) => eventIds((await audit(query).expect(200)).body);
    expect(await ids('?entityType=task')).toEqual([b.eventId, a.eventId]);
    expect(await ids('?entityType=task&entityId=t1')).toEqual([a.eventId]);
    expect(await ids('?actorId=someone')).toEqual([c.eventId]);
    expect(await ids('?action=removed')).toEqual([d.eventId]);
    expect(await ids(`?from=${at(2).toISOString()}&to=${at(3).toISOString()}`)).toEqual([
      c.eventId,
      b.eventId,
    ]);
    expect(await ids(`?from=${encodeURIComponent('2025-05-01T14:03:00+02:00')}`)).toEqual([
      d.eventId,
      c.eventId,
    ]);
    expect(await ids('?entityType=task&action=created')).toEqual([b.eventId]);
  });

  it('pages with a cursor that keeps the filters and breaks ties on the entry id', async () => {
    const stored: NewAuditEntry[] = [];
    for (let i = 0; i < 7; i += 1) {
      stored.push(await entry({ entityType: 'task', occurredAt: at(i < 4 ? 5 : i) }));
    }
    await entry({ entityType: 'comment', occurredAt: at(5) });

    const seen: string[] = [];
    let res = await audit('?entityType=task&limit=3').expect(200);
    for (;;) {
      expectDocumented('get', PATH, res);
      seen.push(...eventIds(res.body));
      const link = res.headers.link as string | undefined;
      if (!link) break;
      expect(link).toContain('entityType=task');
      const url = /^<([^>]+)>; rel="next"$/.exec(link)![1]!;
      res = await request(ctx.app).get(url).set('Cookie', setup.admin.cookie).expect(200);
    }
    // Newest first: minutes 6, 5 (entry 5, then the four of minute 5, last inserted first), 4.
    const order = [6, 5, 3, 2, 1, 0, 4].map((i) => stored[i]!.eventId);
    expect(seen).toEqual(order);
  });

  it('exports the page as CSV: quoted where needed, formulas neutralized, as a download', async () => {
    await entry({
      occurredAt: at(1),
      subject: 'comment.created',
      entityType: 'comment',
      entityId: 'c1',
      action: 'created',
      actorId: '=cmd|"/c calc"!A1',
      userAgent: 'Agent, with "quotes"\nand a newline',
      ipAddress: null,
      requestId: '@SUM(1)',
      previousState: null,
      newState: { content: '+1 great' },
    });

    const res = await audit('?format=csv');

    expect(res.status).toBe(200);
    expectDocumented('get', PATH, res);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toBe(
      `attachment; filename=team-${setup.team.id}-audit.csv`,
    );
    const lines = res.text.split('\r\n');
    expect(lines[0]).toBe(
      'id,occurredAt,subject,entityType,entityId,action,actorId,ipAddress,userAgent,requestId,eventId,previousState,newState',
    );
    const row = res.text.slice(lines[0]!.length + 2);
    expect(row).toMatch(/^\d+,2025-05-01T12:01:00\.000Z,comment\.created,comment,c1,created,/);
    expect(row).toContain(`"'=cmd|""/c calc""!A1",`);
    expect(row).toContain(',"Agent, with ""quotes""\nand a newline",');
    expect(row).toContain(",'@SUM(1),");
    expect(row).toContain(`,"{""content"":""+1 great""}"`);
  });

  it('allows larger pages as CSV than as JSON', async () => {
    await audit('?format=csv&limit=1000').expect(200);
    const json = await audit('?limit=1000');
    expect(json.status).toBe(400);
    expect(json.body.errors).toEqual([
      { message: 'Limit must be an integer between 1 and 100', field: 'limit' },
    ]);
    const csv = await audit('?format=csv&limit=1001');
    expect(csv.body.errors).toEqual([
      { message: 'Limit must be an integer between 1 and 1000', field: 'limit' },
    ]);
  });

  it('returns 403 to members and guests without audit.read', async () => {
    for (const user of [setup.member, setup.guest]) {
      const res = await audit('', user);
      expect(res.status).toBe(403);
      expectDocumented('get', PATH, res);
      expect(res.body).toEqual({
        errors: [{ message: 'You need the audit.read permission in this team' }],
      });
    }
  });

  it('returns 404 to a non-member and 401 when signed out', async () => {
    const hidden = await audit('', setup.outsider);
    expect(hidden.status).toBe(404);
    expectDocumented('get', PATH, hidden);
    const anonymous = await request(ctx.app).get(`/api/teams/${setup.team.id}/audit`);
    expect(anonymous.status).toBe(401);
    expectDocumented('get', PATH, anonymous);
  });

  it.each([
    ['entityType=widget', 'entityType'],
    ['entityType=task&entityType=comment', 'entityType'],
    ['action=exploded', 'action'],
    [`entityId=${'x'.repeat(65)}`, 'entityId'],
    ['actorId=', 'actorId'],
    ['actorId[$ne]=x', 'actorId'],
    ['from=yesterday', 'from'],
    ['to=2025-13-01T00:00:00Z', 'to'],
    ['from=2025-05-02T00:00:00Z&to=2025-05-01T00:00:00Z', 'to'],
    ['format=xml', 'format'],
    ['cursor=abc', 'cursor'],
  ])('returns 400 on %s', async (query, field) => {
    const res = await audit(`?${query}`);
    expect(res.status).toBe(400);
    expectDocumented('get', PATH, res);
    expect(res.body.errors).toEqual([{ message: expect.any(String), field }]);
  });
});
