import { Task } from '../../../models/task';
import { attachmentRequests } from '../../../test/attachments';
import { taskPerTest } from '../../../test/team-fixture';

const given = taskPerTest(() => ({ title: 'With files' }));

const { start, confirm, upload } = attachmentRequests(() => given);

describe('POST /api/tasks/:id/attachments/:attachmentId/confirm', () => {
  it('refuses to record an object whose size or type differs from the announced one, and removes it', async () => {
    const started = await start({ name: 'a.txt', size: 3, mimetype: 'text/plain' }).expect(201);
    const key = `tasks/${given.task.id}/${started.body.uploadId}`;
    // Written behind the presigned URL's back (another client with storage credentials).
    const url = await given.ctx.storage.uploadUrl(key, 'text/csv', 3, 60);
    expect((await upload(url, Buffer.from('a,b'), 'text/csv')).status).toBe(200);
    const res = await confirm(started.body.uploadId);
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      errors: [{ message: 'The uploaded file does not match its size or type; upload it again' }],
    });
    expect(await given.ctx.storage.head(key)).toBeUndefined();
    expect((await Task.findById(given.task.id).lean())?.attachments).toEqual([]);
  });
});
