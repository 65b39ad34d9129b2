import type { EventData } from '@taskforge/common';
import request from 'supertest';
import { Comment } from '../../../models/comment';
import { commentRequests, COMMENT_PATH } from '../../../test/comments';
import { createTask, signIn } from '../../../test/factories';
import { expectDocumented } from '../../../test/openapi';
import { taskPerTest } from '../../../test/team-fixture';

const given = taskPerTest((team) => ({ title: 'Commented', assigneeId: team.admin.id }));

const { post, edit } = commentRequests(() => given);

describe('PATCH /api/tasks/:id/comments/:commentId', () => {
  it('lets the author edit: mentions re-resolved, editedAt set, comment.updated published', async () => {
    const created = (await post('first draft').expect(201)).body;
    const res = await edit(
      created.id,
      `now with @[Admin](${given.team.admin.id})`,
      given.team.member,
    );
    expect(res.status).toBe(200);
    expectDocumented('patch', COMMENT_PATH, res);
    expect(res.body).toMatchObject({
      mentionedUsers: [given.team.admin.id],
      editedAt: expect.any(String),
      version: 1,
    });
    const [event] = await given.ctx.eventsFor('comment.updated', created.id);
    expect((event?.data as EventData<'comment.updated'>).mentionedUsers).toEqual([
      given.team.admin.id,
    ]);
  });
  it('refuses edits by anyone but the author, even an admin', async () => {
    const created = (await post('mine').expect(201)).body;
    for (const [user, status] of [
      [given.team.admin, 403],
      [given.team.guest, 403],
      [signIn(), 404],
    ] as const) {
      const res = await edit(created.id, 'taken over', user);
      expect(res.status).toBe(status);
      expectDocumented('patch', COMMENT_PATH, res);
    }
    expect((await Comment.findById(created.id).lean())?.content).toBe('mine');
  });
  it('answers 404 for a comment of another task', async () => {
    const created = (await post('here').expect(201)).body;
    const otherTask = await createTask(given.app, given.team);
    const res = await request(given.app)
      .patch(`/api/tasks/${otherTask.id}/comments/${created.id}`)
      .set('Cookie', given.team.member.cookie)
      .send({ content: 'moved?' });
    expect(res.status).toBe(404);
  });
});
