import request from 'supertest';
import { commentRequests, COMMENTS_PATH } from '../../../test/comments';
import { signIn } from '../../../test/factories';
import { expectDocumented } from '../../../test/openapi';
import { taskPerTest } from '../../../test/team-fixture';

const given = taskPerTest((team) => ({ title: 'Commented', assigneeId: team.admin.id }));

const { post, remove } = commentRequests(() => given);

describe('GET /api/tasks/:id/comments', () => {
  it('lists comments oldest first, in pages, to any member including guests', async () => {
    const written: string[] = [];
    for (let i = 0; i < 5; i += 1) written.push((await post(`comment ${i}`).expect(201)).body.id);
    await remove(written[2]!, given.team.member).expect(204);

    const first = await request(given.app)
      .get(`/api/tasks/${given.task.id}/comments`)
      .query({ limit: 2 })
      .set('Cookie', given.team.guest.cookie);
    expect(first.status).toBe(200);
    expectDocumented('get', COMMENTS_PATH, first);
    const cursor = first.headers['x-next-cursor'] as string;
    const second = await request(given.app)
      .get(`/api/tasks/${given.task.id}/comments`)
      .query({ limit: 2, cursor })
      .set('Cookie', given.team.guest.cookie)
      .expect(200);
    expect(second.headers['x-next-cursor']).toBeUndefined();
    const ids = [...first.body, ...second.body].map((c: { id: string }) => c.id);
    expect(ids).toEqual([written[0], written[1], written[3], written[4]]);
  });

  it('answers 404 to a stranger and 400 for a bad cursor', async () => {
    const stranger = await request(given.app)
      .get(`/api/tasks/${given.task.id}/comments`)
      .set('Cookie', signIn().cookie);
    expect(stranger.status).toBe(404);
    expectDocumented('get', COMMENTS_PATH, stranger);
    const bad = await request(given.app)
      .get(`/api/tasks/${given.task.id}/comments`)
      .query({ cursor: 'x' })
      .set('Cookie', given.team.member.cookie);
    expect(bad.status).toBe(400);
    expectDocumented('get', COMMENTS_PATH, bad);
  });
});
