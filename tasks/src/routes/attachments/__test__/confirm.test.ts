import type { TaskResponse } from '../../../contracts/tasks';
import { Task } from '../../../models/task';
import { attachmentRequests } from '../../../test/attachments';
import { createTask, createTeam, type TestTeam } from '../../../test/factories';
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
  task = await createTask(ctx.app, team, { title: 'With files' });
});
afterAll(() => ctx.close());

const { start, confirm, upload } = attachmentRequests(() => ({ app: ctx.app, team, task }));

describe('POST /api/tasks/:id/attachments/:attachmentId/confirm', () => {
  it('refuses to record an object whose size or type differs from the announced one, and removes it', async () => {
    const started = await start({ name: 'a.txt', size: 3, mimetype: 'text/plain' }).expect(201);
    const key = `tasks/${task.id}/${started.body.uploadId}`;
    // Written behind the presigned URL's back (another client with storage credentials).
    const url = await ctx.storage.uploadUrl(key, 'text/csv', 3, 60);
    expect((await upload(url, Buffer.from('a,b'), 'text/csv')).status).toBe(200);
    const res = await confirm(started.body.uploadId);
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      errors: [{ message: 'The uploaded file does not match its size or type; upload it again' }],
    });
    expect(await ctx.storage.head(key)).toBeUndefined();
    expect((await Task.findById(task.id).lean())?.attachments).toEqual([]);
  });
});
