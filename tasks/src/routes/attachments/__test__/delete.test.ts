import { Activity } from '../../../models/activity';
import { Task } from '../../../models/task';
import { attachmentRequests } from '../../../test/attachments';
import { expectDocumented } from '../../../test/openapi';
import { taskPerTest } from '../../../test/team-fixture';

const given = taskPerTest(() => ({ title: 'With files' }));

const { download, remove, uploadFile } = attachmentRequests(() => given);

describe('DELETE /api/tasks/:id/attachments/:attachmentId', () => {
  it('deletes the record and the object, publishing attachment.removed', async () => {
    const attachment = await uploadFile('notes.md', Buffer.from('# notes'), 'text/markdown');
    const key = `tasks/${given.task.id}/${attachment.id}`;
    expect(await given.ctx.storage.head(key)).toBeDefined();

    expect((await remove(attachment.id, given.team.guest)).status).toBe(403);
    const res = await remove(attachment.id);
    expect(res.status).toBe(204);
    expectDocumented('delete', '/api/tasks/{id}/attachments/{attachmentId}', res);

    expect((await Task.findById(given.task.id).lean())?.attachments).toEqual([]);
    expect(await given.ctx.storage.head(key)).toBeUndefined();
    const gone = await download(attachment.id);
    expect(gone.status).toBe(404);
    expectDocumented('get', '/api/tasks/{id}/attachments/{attachmentId}', gone);
    const [removed] = await given.ctx.eventsFor('attachment.removed', attachment.id);
    expect(removed?.data).toMatchObject({
      id: attachment.id,
      taskId: given.task.id,
      version: 2,
      name: 'notes.md',
    });
    expect(
      await Activity.countDocuments({ taskId: given.task.id, type: 'attachment.removed' }),
    ).toBe(1);
    expect((await remove(attachment.id)).status).toBe(404);
  });
});
