import { PERMISSIONS } from '@taskforge/common';
import request from 'supertest';
import { directoryUser, memberEvents, rowsOf, signIn } from '../../../test/factories';
import { expectDocumented } from '../../../test/openapi';
import { setupTeamsTest, type TeamsTestContext } from '../../../test/setup';

let ctx: TeamsTestContext;

beforeAll(async () => {
  ctx = await setupTeamsTest();
});
beforeEach(() => ctx.reset());
afterAll(() => ctx.close());

const post = (body: unknown, cookie?: string) => {
  const req = request(ctx.app).post('/api/teams').set('User-Agent', 'teams-test/1.0');
  if (cookie) req.set('Cookie', cookie);
  return req.send(body as object);
};

describe('POST /api/teams', () => {
  it('creates the team with the creator as admin and the default role permissions', async () => {
    const creator = await directoryUser(ctx.pool);

    const res = await post(
      { name: '  Platform  ', description: ' Infra and tooling ' },
      creator.cookie,
    );

    expect(res.status).toBe(201);
    expectDocumented('post', '/api/teams', res);
    expect(res.body).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      name: 'Platform',
      description: 'Infra and tooling',
      createdBy: creator.id,
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
      version: 0,
      role: 'admin',
      permissions: {
        admin: [...PERMISSIONS],
        member: ['task.create', 'task.update', 'task.assign', 'comment.create'],
        guest: [],
      },
    });

    const teamId = res.body.id as string;
    expect(
      await rowsOf(ctx.pool, 'SELECT name, description, created_by, version FROM teams'),
    ).toEqual([
      { name: 'Platform', description: 'Infra and tooling', created_by: creator.id, version: 0 },
    ]);
    expect(
      await rowsOf(
        ctx.pool,
        'SELECT team_id, user_id, role, version, removed_at FROM team_memberships',
      ),
    ).toEqual([
      { team_id: teamId, user_id: creator.id, role: 'admin', version: 0, removed_at: null },
    ]);
    const grants = await rowsOf<{ role: string; count: number }>(
      ctx.pool,
      'SELECT role, count(*)::int AS count FROM role_permissions WHERE team_id = $1 GROUP BY role ORDER BY role',
      [teamId],
    );
    expect(grants).toEqual([
      { role: 'admin', count: PERMISSIONS.length },
      { role: 'member', count: 4 },
    ]);
  });

  it('publishes team.created and member.added for the creator, both at version 0, with request metadata', async () => {
    const creator = await directoryUser(ctx.pool);
    const res = await post({ name: 'Events' }, creator.cookie).expect(201);
    const teamId = res.body.id as string;

    const [created] = await ctx.eventsFor('team.created', teamId);
    expect(created?.data).toEqual({
      id: teamId,
      version: 0,
      name: 'Events',
      description: null,
      createdBy: creator.id,
      permissions: res.body.permissions,
    });
    expect(created?.metadata).toMatchObject({
      actorId: creator.id,
      userAgent: 'teams-test/1.0',
      ip: expect.any(String),
      requestId: expect.any(String),
    });
    const [added] = await memberEvents(ctx.natsUrl, teamId, creator.id, 1);
    expect(added?.subject).toBe('member.added');
    expect(added?.data).toEqual({ teamId, userId: creator.id, role: 'admin', version: 0 });
  });

  it('lets a user the directory does not know yet create a team (their user event may lag)', async () => {
    const newcomer = signIn();
    const res = await post({ name: 'Fresh' }, newcomer.cookie);
    expect(res.status).toBe(201);
    expect(res.body.createdBy).toBe(newcomer.id);
  });

  it('ignores unknown fields', async () => {
    const creator = await directoryUser(ctx.pool);
    const res = await post(
      { name: 'Team', version: 7, createdBy: 'someone-else', id: 'x', role: 'guest' },
      creator.cookie,
    ).expect(201);
    expect(res.body).toMatchObject({ version: 0, createdBy: creator.id, role: 'admin' });
  });

  it('returns 401 when signed out and stores nothing', async () => {
    const res = await post({ name: 'Nope' });
    expect(res.status).toBe(401);
    expectDocumented('post', '/api/teams', res);
    expect(await rowsOf(ctx.pool, 'SELECT id FROM teams')).toEqual([]);
    expect(await rowsOf(ctx.pool, 'SELECT id FROM outbox')).toEqual([]);
  });

  it.each([
    ['no name', {}, 'name', 'Name is required'],
    ['a null name', { name: null }, 'name', 'Name is required'],
    ['a number as name', { name: 42 }, 'name', 'Name must be a string'],
    ['a list as name', { name: ['Team'] }, 'name', 'Name must be a string'],
    ['a blank name', { name: '   ' }, 'name', 'Name must be 1 to 100 characters'],
    ['a 101-character name', { name: 'x'.repeat(101) }, 'name', 'Name must be 1 to 100 characters'],
    [
      'a number as description',
      { name: 'ok', description: 5 },
      'description',
      'Description must be a string or null',
    ],
    [
      'a 2001-character description',
      { name: 'ok', description: 'd'.repeat(2001) },
      'description',
      'Description must be at most 2000 characters',
    ],
  ])('returns 400 for %s and stores nothing', async (_case, body, field, message) => {
    const creator = await directoryUser(ctx.pool);
    const res = await post(body, creator.cookie);
    expect(res.status).toBe(400);
    expectDocumented('post', '/api/teams', res);
    expect(res.body.errors).toEqual([{ message, field }]);
    expect(await rowsOf(ctx.pool, 'SELECT id FROM teams')).toEqual([]);
    expect(await rowsOf(ctx.pool, 'SELECT id FROM outbox')).toEqual([]);
  });

  it('accepts a name of exactly 100 characters and stores an empty description as null', async () => {
    const creator = await directoryUser(ctx.pool);
    const res = await post({ name: 'n'.repeat(100), description: '  ' }, creator.cookie).expect(
      201,
    );
    expect(res.body).toMatchObject({ name: 'n'.repeat(100), description: null });
  });

  it('returns 400 on malformed JSON', async () => {
    const creator = await directoryUser(ctx.pool);
    const res = await request(ctx.app)
      .post('/api/teams')
      .set('Cookie', creator.cookie)
      .set('Content-Type', 'application/json')
      .send('{"name":');
    expect(res.status).toBe(400);
    expectDocumented('post', '/api/teams', res);
  });
});
