import type { Express } from 'express';
import request from 'supertest';
import type { TaskResponse } from '../contracts/tasks';
import type { SignedInUser, TestTeam } from './factories';

/** The task whose comments a test works on, read when each request is made. */
export interface CommentTarget {
  app: Express;
  team: TestTeam;
  task: TaskResponse;
}

/** The documented paths of the comment routes, as `expectDocumented` takes them. */
export const COMMENTS_PATH = '/api/tasks/{id}/comments';
export const COMMENT_PATH = '/api/tasks/{id}/comments/{commentId}';

/** The requests of the comment routes: write (`post`, as a member unless told), edit, remove. */
export function commentRequests(target: () => CommentTarget) {
  const post = (content: unknown, user?: SignedInUser | null, taskId?: string) => {
    const { app, team, task } = target();
    const req = request(app).post(`/api/tasks/${taskId ?? task.id}/comments`);
    const author = user === undefined ? team.member : user;
    if (author) req.set('Cookie', author.cookie);
    return req.send({ content });
  };
  const edit = (commentId: string, content: string, user: SignedInUser) => {
    const { app, task } = target();
    return request(app)
      .patch(`/api/tasks/${task.id}/comments/${commentId}`)
      .set('Cookie', user.cookie)
      .send({ content });
  };
  const remove = (commentId: string, user: SignedInUser) => {
    const { app, task } = target();
    return request(app)
      .delete(`/api/tasks/${task.id}/comments/${commentId}`)
      .set('Cookie', user.cookie);
  };
  return { post, edit, remove };
}
