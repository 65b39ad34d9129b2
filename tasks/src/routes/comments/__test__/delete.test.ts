import { Comment } from '../../../models/comment';
import { commentRequests, COMMENT_PATH } from '../../../test/comments';
import { expectDocumented } from '../../../test/openapi';
import { taskPerTest } from '../../../test/team-fixture';

const given = taskPerTest((team) => ({ title: 'Commented', assigneeId: team.admin.id }));

const { post, remove } = commentRequests(() => given);

describe('DELETE /api/tasks/:id/comments/:commentId', () => {
  it('lets the author or an admin delete, publishes comment.deleted, and refuses others', async () => {
    const byMember = (await post('by member').expect(201)).body;
    const other = (await post('another').expect(201)).body;
    const guestTry = await remove(byMember.id, given.team.guest);
    expect(guestTry.status).toBe(403);
    expectDocumented('delete', COMMENT_PATH, guestTry);

    expect((await remove(byMember.id, given.team.member)).status).toBe(204);
    expect((await remove(other.id, given.team.admin)).status).toBe(204);
    expect(await Comment.countDocuments({ deletedAt: null })).toBe(0);
    const notFound = await remove(byMember.id, given.team.member);
    expect(notFound.status).toBe(404);
    expectDocumented('delete', COMMENT_PATH, notFound);
    const [event] = await given.ctx.eventsFor('comment.deleted', byMember.id);
    expect(event?.data).toMatchObject({
      id: byMember.id,
      version: 1,
      authorId: given.team.member.id,
    });
  });
});
