import type { TaskResponse } from '../../../contracts/tasks';
import { attachmentRequests } from '../../../test/attachments';
import { createTask, createTeam, signIn, type TestTeam } from '../../../test/factories';
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

const { download, uploadFile } = attachmentRequests(() => ({ app: ctx.app, team, task }));

describe('GET /api/tasks/:id/attachments/:attachmentId', () => {
  it('hides downloads from strangers', async () => {
    const attachment = await uploadFile();
    const res = await download(attachment.id, signIn());
    expect(res.status).toBe(404);
  });
});
