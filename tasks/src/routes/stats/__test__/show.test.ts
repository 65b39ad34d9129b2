import request from 'supertest';
import { weekOf } from '../../../models/task';
import { lastWeeks } from '../../../services/stats';
import { createTask, createTeam, insertStoredTasks, newId, signIn } from '../../../test/factories';
import { expectDocumented } from '../../../test/openapi';
import { teamPerTest } from '../../../test/team-fixture';

const given = teamPerTest({ relay: false });

const HOUR = 3_600_000;
const WEEK = 7 * 24 * HOUR;

const stats = (cookie = given.team.member.cookie, teamId = given.team.id) =>
  request(given.app).get('/api/tasks/stats').query({ teamId }).set('Cookie', cookie);

describe('GET /api/tasks/stats', () => {
  it('computes every number of the dashboard on a known data set', async () => {
    const now = Date.now();
    const ago = (weeks: number) => new Date(now - weeks * WEEK);
    const alice = given.team.member.id;
    const bob = given.team.admin.id;
    await insertStoredTasks(given.team, [
      // Done, cycle times 2, 4, 10 and 30 hours: median (4 + 10) / 2 = 7 hours.
      { createdAt: ago(3), cycleHours: 2, assigneeId: alice, priority: 'high' },
      { createdAt: ago(2), cycleHours: 4, assigneeId: alice },
      { createdAt: ago(1), cycleHours: 10, assigneeId: bob, priority: 'urgent' },
      { createdAt: ago(0), cycleHours: 30, assigneeId: bob, dueDate: ago(1) },
      // Open: two overdue, one due later, one without a due date.
      { createdAt: ago(0), status: 'in_progress', assigneeId: alice, dueDate: ago(0.5) },
      { createdAt: ago(2), status: 'todo', dueDate: ago(1), priority: 'low' },
      { createdAt: ago(1), status: 'in_review', dueDate: new Date(now + WEEK) },
      { createdAt: ago(0), status: 'backlog', priority: 'low' },
      // Created 20 weeks ago: counted everywhere but in the 12-week chart.
      { createdAt: ago(20), status: 'todo', assigneeId: alice },
      // Not counted at all: another team's task and a deleted one.
      { createdAt: ago(0), teamId: newId(), cycleHours: 1 },
      { createdAt: ago(0), deleted: true, dueDate: ago(1) },
    ]);

    const res = await stats();
    expect(res.status).toBe(200);
    expectDocumented('get', '/api/tasks/stats', res);
    const weeks = lastWeeks(new Date(now));
    const weekly = weeks.map((week) => ({ week, created: 0, completed: 0 }));
    const bump = (date: Date, key: 'created' | 'completed') => {
      const entry = weekly.find((w) => w.week === weekOf(date));
      if (entry) entry[key] += 1;
    };
    for (const weeksAgo of [3, 2, 1, 0, 0, 2, 1, 0, 20]) bump(ago(weeksAgo), 'created');
    for (const [weeksAgo, hours] of [
      [3, 2],
      [2, 4],
      [1, 10],
      [0, 30],
    ] as const) {
      bump(new Date(ago(weeksAgo).getTime() + hours * HOUR), 'completed');
    }

    expect(res.body).toEqual({
      total: 9,
      byStatus: { backlog: 1, todo: 2, in_progress: 1, in_review: 1, done: 4 },
      byPriority: { low: 2, medium: 5, high: 1, urgent: 1 },
      byAssignee: [
        { assigneeId: alice, count: 4 },
        { assigneeId: null, count: 3 },
        { assigneeId: bob, count: 2 },
      ].sort(
        (a, b) => b.count - a.count || String(a.assigneeId).localeCompare(String(b.assigneeId)),
      ),
      overdue: 2,
      weekly,
      medianCycleTimeMs: 7 * HOUR,
    });
    expect(res.body.weekly).toHaveLength(12);
    expect(weekly.reduce((sum, w) => sum + w.created, 0)).toBe(8);
  });

  it('takes the middle value for an odd count, and null without done tasks', async () => {
    const emptyTeam = await createTeam();
    const empty = await stats(emptyTeam.member.cookie, emptyTeam.id);
    expect(empty.body).toMatchObject({
      total: 0,
      medianCycleTimeMs: null,
      overdue: 0,
      byAssignee: [],
    });
    await insertStoredTasks(
      given.team,
      [3, 1, 2].map((hours) => ({ createdAt: new Date(), cycleHours: hours })),
    );
    expect((await stats()).body.medianCycleTimeMs).toBe(2 * HOUR);
  });

  it('follows the tasks the API writes: a task completed through PATCH counts as done this week', async () => {
    const task = await createTask(given.app, given.team);
    await request(given.app)
      .patch(`/api/tasks/${task.id}`)
      .set('Cookie', given.team.member.cookie)
      .send({ status: 'done' })
      .expect(200);
    const res = await stats();
    expect(res.body.byStatus.done).toBe(1);
    expect(res.body.weekly.at(-1)).toEqual({ week: weekOf(new Date()), created: 1, completed: 1 });
    expect(res.body.medianCycleTimeMs).toBeGreaterThanOrEqual(0);
  });

  it('answers 404 to a stranger and 400 without a teamId', async () => {
    const stranger = await stats(signIn().cookie);
    expect(stranger.status).toBe(404);
    expectDocumented('get', '/api/tasks/stats', stranger);
    const missing = await request(given.app)
      .get('/api/tasks/stats')
      .set('Cookie', given.team.member.cookie);
    expect(missing.status).toBe(400);
    expectDocumented('get', '/api/tasks/stats', missing);
  });
});

describe('lastWeeks', () => {
  it('lists 12 Mondays ending with this week', () => {
    const weeks = lastWeeks(new Date('2030-01-02T10:00:00Z'));
    expect(weeks).toHaveLength(12);
    expect(weeks.at(-1)).toBe('2029-12-31');
    expect(weeks[0]).toBe('2029-10-15');
  });
});
