import type { TaskResponse } from '../../../contracts/tasks';
import { Activity } from '../../../models/activity';
import { Task } from '../../../models/task';
import { attachmentRequests } from '../../../test/attachments';
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
  task = await createTask(ctx.app, team, { title: 'With files' });
});
afterAll(() => ctx.close());

const { download, remove, uploadFile } = attachmentRequests(() => ({ app: ctx.app, team, task }));

describe('DELETE /api/tasks/:id/attachments/:attachmentId', () => {
  it('deletes the record and the object, publishing attachment.removed', async () => {
    const attachment = await uploadFile('notes.md', Buffer.from('# notes'), 'text/markdown');
    const key = `tasks/${task.id}/${attachment.id}`;
    expect(await ctx.storage.head(key)).toBeDefined();

    expect((await remove(attachment.id, team.guest)).status).toBe(403);
    const res = await remove(attachment.id);
    expect(res.status).toBe(204);
    expectDocumented('delete', '/api/tasks/{id}/attachments/{attachmentId}', res);

    expect((await Task.findById(task.id).lean())?.attachments).toEqual([]);
    expect(await ctx.storage.head(key)).toBeUndefined();
    const gone = await download(attachment.id);
    expect(gone.status).toBe(404);
    expectDocumented('get', '/api/tasks/{id}/attachments/{attachmentId}', gone);
    const [removed] = await ctx.eventsFor('attachment.removed', attachment.id);
    expect(removed?.data).toMatchObject({
      id: attachment.id,
      taskId: task.id,
      version: 2,
      name: 'notes.md',
    });
    expect(await Activity.countDocuments({ taskId: task.id, type: 'attachment.removed' })).toBe(1);
    expect((await remove(attachment.id)).status).toBe(404);
  });
});
