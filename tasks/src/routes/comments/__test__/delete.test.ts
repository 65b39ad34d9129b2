import type { TaskResponse } from '../../../contracts/tasks';
import { Comment } from '../../../models/comment';
import { commentRequests, COMMENT_PATH } from '../../../test/comments';
import { createTask, createTeam, type TestTeam } from '../../../test/factories';
import { expectDocumented } from '../../../test/openapi';
import { setupTasksTest, type TasksTestContext } from '../../../test/setup';

let ctx: TasksTestContext;
let team: TestTeam;
let task: TaskResponse;

beforeAll(async () => {
  ctx = await setupTasksTest();
});
beforeEach(async () => {
  await ctx.reset();
  team = await createTeam();
  task = await createTask(ctx.app, team, { title: 'Commented', assigneeId: team.admin.id });
});
afterAll(() => ctx.close());

const { post, remove } = commentRequests(() => ({ app: ctx.app, team, task }));

describe('DELETE /api/tasks/:id/comments/:commentId', () => {
  it('lets the author or an admin delete, publishes comment.deleted, and refuses others', async () => {
    const byMember = (await post('by member').expect(201)).body;
    const other = (await post('another').expect(201)).body;
    const guestTry = await remove(byMember.id, team.guest);
    expect(guestTry.status).toBe(403);
    expectDocumented('delete', COMMENT_PATH, guestTry);

    expect((await remove(byMember.id, team.member)).status).toBe(204);
    expect((await remove(other.id, team.admin)).status).toBe(204);
    expect(await Comment.countDocuments({ deletedAt: null })).toBe(0);
    const notFound = await remove(byMember.id, team.member);
    expect(notFound.status).toBe(404);
    expectDocumented('delete', COMMENT_PATH, notFound);
    const [event] = await ctx.eventsFor('comment.deleted', byMember.id);
    expect(event?.data).toMatchObject({ id: byMember.id, version: 1, authorId: team.member.id });
  });
});
