import { Task } from '../../../models/task';
import request, { type Response } from 'supertest';
import type { TaskResponse } from '../../../contracts/tasks';
import { SORTS, encodeCursor } from '../../../services/task-list';
import {
  createTask,
  insertStoredTasks,
  newId,
  signIn,
  type StoredTaskSpec,
} from '../../../test/factories';
import { expectDocumented } from '../../../test/openapi';
import { teamPerTest } from '../../../test/team-fixture';

const given = teamPerTest({ relay: false });

type Stored = Awaited<ReturnType<typeof insertStoredTasks>>[number];

const day = (n: number) => new Date(Date.UTC(2030, 0, 1 + n));

/** Tasks written straight to the collection, so tests control every sorted field. */
const insertTasks = (specs: StoredTaskSpec[]) => insertStoredTasks(given.team, specs);

const list = (query: Record<string, string>, cookie = given.team.member.cookie) =>
  request(given.app)
    .get('/api/tasks')
    .query({ teamId: given.team.id, ...query })
    .set('Cookie', cookie);
const ids = (res: Response) => (res.body as TaskResponse[]).map((t) => t.id);
const idsOf = (tasks: Stored[]) => tasks.map((t) => t._id.toHexString());

/** Follows `Link` from page to page, as a client would; every page checked against the document. */
async function allPages(query: Record<string, string>): Promise<{ seen: string[]; pages: number }> {
  const seen: string[] = [];
  let pages = 0;
  let res = await list(query);
  for (;;) {
    expect(res.status).toBe(200);
    expectDocumented('get', '/api/tasks', res);
    pages += 1;
    seen.push(...ids(res));
    const link = res.headers.link as string | undefined;
    if (!link) break;
    const url = /^<([^>]+)>; rel="next"$/.exec(link)?.[1];
    res = await request(given.app).get(url!).set('Cookie', given.team.member.cookie);
  }
  return { seen, pages };
}

const SORT_VALUE: Record<string, (t: Stored) => number | null> = {
  createdAt: (t) => t.createdAt.getTime(),
  updatedAt: (t) => t.updatedAt.getTime(),
  dueDate: (t) => t.dueDate?.getTime() ?? null,
  priority: (t) => t.priorityRank,
  position: (t) => t.position,
};

/** The order MongoDB promises: nulls lowest, then the value, then _id; descending reverses it. */
function expectedOrder(tasks: Stored[], sort: string): string[] {
  const field = sort.replace(/^-/, '');
  const value = SORT_VALUE[field]!;
  const ascending = [...tasks].sort((a, b) => {
    const va = value(a);
    const vb = value(b);
    if (va !== vb) {
      if (va === null) return -1;
      if (vb === null) return 1;
      return va - vb;
    }
    return a._id.toHexString().localeCompare(b._id.toHexString());
  });
  const order = idsOf(ascending);
  return sort.startsWith('-') ? order.reverse() : order;
}

describe('GET /api/tasks', () => {
  it("returns the team's tasks, newest first by default, as a plain array", async () => {
    const first = await createTask(given.app, given.team, { title: 'First' });
    const second = await createTask(given.app, given.team, { title: 'Second' });
    await insertTasks([{ teamId: newId() }, { deletedAt: new Date() }]);

    const res = await list({});
    expect(res.status).toBe(200);
    expectDocumented('get', '/api/tasks', res);
    const byCreation = [first, second].sort(
      (a, b) => b.createdAt.localeCompare(a.createdAt) || b.id.localeCompare(a.id),
    );
    expect(res.body).toEqual(byCreation);
    expect(res.headers['x-next-cursor']).toBeUndefined();
  });

  it('answers 404 to a stranger, 401 when signed out and 400 without a teamId', async () => {
    const stranger = await list({}, signIn().cookie);
    expect(stranger.status).toBe(404);
    expectDocumented('get', '/api/tasks', stranger);
    const anonymous = await request(given.app).get('/api/tasks').query({ teamId: given.team.id });
    expect(anonymous.status).toBe(401);
    const missing = await request(given.app)
      .get('/api/tasks')
      .set('Cookie', given.team.member.cookie);
    expect(missing.status).toBe(400);
    expectDocumented('get', '/api/tasks', missing);
    expect(missing.body).toEqual({ errors: [{ message: 'teamId is required', field: 'teamId' }] });
  });

  describe('sorting and keyset pagination', () => {
    let stored: Stored[];

    beforeEach(async () => {
      const sameTime = new Date(Date.UTC(2030, 5, 1));
      stored = await insertTasks([
        // Ties on every field, and missing due dates, so the _id tie-break and nulls are exercised.
        ...Array.from({ length: 4 }, () => ({
          createdAt: sameTime,
          updatedAt: sameTime,
          position: 1,
          priority: 'high' as const,
        })),
        ...Array.from({ length: 4 }, (_v, i) => ({
          dueDate: day(i % 2),
          priority: 'low' as const,
          position: 2,
        })),
        ...Array.from({ length: 3 }, (_v, i) => ({
          dueDate: day(5 + i),
          priority: 'urgent' as const,
          updatedAt: day(40 - i),
        })),
        { priority: 'medium', position: -3.5 },
        { dueDate: day(1), priority: 'medium', position: 0.5 },
      ]);
    });

    it.each(SORTS)('sort=%s pages through every task exactly once, in order', async (sort) => {
      const { seen, pages } = await allPages({ sort, limit: '3' });
      expect(pages).toBe(5);
      expect(new Set(seen).size).toBe(stored.length);
      expect(seen).toEqual(expectedOrder(stored, sort));
    });

    it('newest first by a time, pages of tasks of every age come out whole and in order', async () => {
      // The recent windows (1, 8, 64 days back from now or the cursor) hold few of these, so
      // pages widen them and fall back to the whole list; ages tie within each group.
      const DAY = 86_400_000;
      const now = Date.now();
      const ago = (days: number) => new Date(now - days * DAY);
      await Task.deleteMany({ teamId: given.team.id });
      const aged = await insertTasks(
        [0.5, 0.5, 3, 3, 3, 30, 30, 30, 30, 200, 200, 200, 900, -2].map((days, i) => ({
          createdAt: ago(days),
          updatedAt: ago(days / 2 + (i % 3)),
        })),
      );
      for (const sort of ['-createdAt', '-updatedAt']) {
        for (const limit of ['1', '3', '5', '20']) {
          const { seen } = await allPages({ sort, limit });
          expect(seen).toEqual(expectedOrder(aged, sort));
        }
      }
      // A first page of 3 reads the 1-day window (3 tasks: not one more), then the 8-day one.
      const reads = jest.spyOn(Task, 'find');
      try {
        const first = await list({ sort: '-createdAt', limit: '3' });
        expect(ids(first)).toEqual(expectedOrder(aged, '-createdAt').slice(0, 3));
        expect(reads).toHaveBeenCalledTimes(2);
      } finally {
        reads.mockRestore();
      }
    });

    it('keeps filters in the Link and pages over the filtered set', async () => {
      const { seen } = await allPages({ sort: 'dueDate', priority: 'low,urgent', limit: '2' });
      const filtered = stored.filter((t) => t.priorityRank === 0 || t.priorityRank === 3);
      expect(seen).toEqual(expectedOrder(filtered, 'dueDate'));
    });

    it('refuses a cursor made for another sort, and a forged one', async () => {
      const cursor = encodeCursor({ sort: 'dueDate', value: null, id: idsOf(stored)[0]! });
      const other = await list({ sort: '-dueDate', cursor });
      expect(other.status).toBe(400);
      expect(other.body).toEqual({
        errors: [{ message: 'Cursor belongs to another sort', field: 'cursor' }],
      });
      for (const bad of ['nope', Buffer.from('["dueDate",{"$gt":1},"x"]').toString('base64url')]) {
        const res = await list({ cursor: bad });
        expect(res.status).toBe(400);
        expectDocumented('get', '/api/tasks', res);
      }
    });
  });

  describe('filters', () => {
    it('status and priority, one value or several', async () => {
      const [todo, doing, done] = await insertTasks([
        { status: 'todo', priority: 'low' },
        { status: 'in_progress', priority: 'high' },
        { status: 'done', priority: 'high' },
      ]);
      expect(ids(await list({ status: 'todo' }))).toEqual(idsOf([todo!]));
      expect(ids(await list({ status: 'in_progress,done', sort: 'createdAt' }))).toEqual(
        idsOf([doing!, done!]),
      );
      expect(ids(await list({ priority: 'high', status: 'done' }))).toEqual(idsOf([done!]));
    });

    it('assigneeId: an id, me and none', async () => {
      const [mine, theirs, nobody] = await insertTasks([
        { assigneeId: given.team.member.id },
        { assigneeId: given.team.admin.id },
        { assigneeId: null },
      ]);
      expect(ids(await list({ assigneeId: 'me' }))).toEqual(idsOf([mine!]));
      expect(ids(await list({ assigneeId: 'me' }, given.team.admin.cookie))).toEqual(
        idsOf([theirs!]),
      );
      expect(ids(await list({ assigneeId: given.team.admin.id }))).toEqual(idsOf([theirs!]));
      expect(ids(await list({ assigneeId: 'none' }))).toEqual(idsOf([nobody!]));
    });

    it('tag, ticketId, dueBefore, dueAfter', async () => {
      const ticketId = newId();
      const [tagged, linked, early, late] = await insertTasks([
        { tags: ['bug', 'ui'] },
        { ticketId },
        { dueDate: day(1) },
        { dueDate: day(10) },
      ]);
      expect(ids(await list({ tag: 'ui' }))).toEqual(idsOf([tagged!]));
      expect(ids(await list({ ticketId }))).toEqual(idsOf([linked!]));
      expect(ids(await list({ dueBefore: day(5).toISOString() }))).toEqual(idsOf([early!]));
      expect(ids(await list({ dueAfter: '2030-01-05' }))).toEqual(idsOf([late!]));
      expect(
        ids(await list({ dueAfter: '2030-01-01', dueBefore: '2030-01-20', sort: 'dueDate' })),
      ).toEqual(idsOf([early!, late!]));
    });

    it('overdue=true: due in the past and not done; overdue=false: the others', async () => {
      const past = new Date(Date.now() - 86_400_000);
      const future = new Date(Date.now() + 86_400_000);
      const [overdue, doneLate, upcoming, undated] = await insertTasks([
        { dueDate: past, status: 'in_progress' },
        { dueDate: past, status: 'done' },
        { dueDate: future },
        { dueDate: null },
      ]);
      expect(ids(await list({ overdue: 'true' }))).toEqual(idsOf([overdue!]));
      expect(ids(await list({ overdue: 'false', sort: 'createdAt' }))).toEqual(
        idsOf([doneLate!, upcoming!, undated!]),
      );
    });

    it('q finds tasks holding every word in the title or description, case and endings aside', async () => {
      const [inTitle, inDescription, literal, inflected] = await insertTasks([
        { title: 'Fix the Login page' },
        { description: 'users cannot LOGIN on mobile' },
        { title: 'Price (USD) [1+1]?.*' },
        { title: 'Logins deployed to staging' },
        { title: 'Unrelated', description: 'blogin is not a word of the search' },
      ]);
      const found = async (q: string) => ids(await list({ q, sort: 'createdAt' }));
      expect(await found('login')).toEqual(idsOf([inTitle!, inDescription!, inflected!]));
      // Every word is needed; a later one may be the start of a word.
      expect(await found('LOGIN page')).toEqual(idsOf([inTitle!]));
      expect(await found('login pa')).toEqual(idsOf([inTitle!]));
      expect(await found('deploy')).toEqual(idsOf([inflected!]));
      // Punctuation only separates words; regex characters mean nothing.
      expect(await found('(usd) [1+1]?.*')).toEqual(idsOf([literal!]));
      expect(await found('.*')).toEqual([]);
      expect(await found('ogin')).toEqual([]);
      expect(await found('login mobile page')).toEqual([]);
    });

    it('customFields.<key>=<value> matches strings, numbers, booleans and dates', async () => {
      const [acme, points, billable, starts] = await insertTasks([
        { customFields: { client: 'ACME' } },
        { customFields: { points: 3 } },
        { customFields: { billable: true } },
        { customFields: { starts: day(3) } },
        { customFields: { client: 'Other', points: 4, billable: false } },
      ]);
      expect(ids(await list({ 'customFields.client': 'ACME' }))).toEqual(idsOf([acme!]));
      expect(ids(await list({ 'customFields.points': '3' }))).toEqual(idsOf([points!]));
      expect(ids(await list({ 'customFields.billable': 'true' }))).toEqual(idsOf([billable!]));
      expect(ids(await list({ 'customFields.starts': '2030-01-04' }))).toEqual(idsOf([starts!]));
      expect(
        ids(await list({ 'customFields.client': 'ACME', 'customFields.points': '3' })),
      ).toEqual([]);
    });

    it.each([
      ['an unknown status', { status: 'todo,closed' }, 'status'],
      ['an unknown sort', { sort: 'title' }, 'sort'],
      ['a bad date', { dueBefore: 'soon' }, 'dueBefore'],
      ['overdue=yes', { overdue: 'yes' }, 'overdue'],
      ['a limit of 0', { limit: '0' }, 'limit'],
      ['a limit of 101', { limit: '101' }, 'limit'],
      ['an operator in q', { 'q[$ne]': 'x' }, 'q'],
      ['a custom field name with a dot', { 'customFields.a.b': 'x' }, 'customFields.a.b'],
      ['a custom field name with $', { 'customFields.$where': 'x' }, 'customFields.$where'],
      ['a custom field object', { 'customFields[a]': 'x' }, 'customFields'],
    ])('returns 400 for %s', async (_label, query, field) => {
      const res = await list(query as Record<string, string>);
      expect(res.status).toBe(400);
      expectDocumented('get', '/api/tasks', res);
      expect(res.body.errors.map((e: { field?: string }) => e.field)).toContain(field);
    });

    it('returns 400 for more than 50 custom field filters', async () => {
      const query = Object.fromEntries(
        Array.from({ length: 51 }, (_v, i) => [`customFields.k${i}`, 'x']),
      );
      const res = await list(query);
      expect(res.status).toBe(400);
      expect(res.body.errors).toContainEqual({
        message: 'At most 50 custom field filters',
        field: 'customFields',
      });
    });
  });
});
