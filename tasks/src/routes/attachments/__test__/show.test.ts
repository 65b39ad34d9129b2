import { attachmentRequests } from '../../../test/attachments';
import { signIn } from '../../../test/factories';
import { taskPerTest } from '../../../test/team-fixture';

const given = taskPerTest(() => ({ title: 'With files' }));

const { download, uploadFile } = attachmentRequests(() => given);

describe('GET /api/tasks/:id/attachments/:attachmentId', () => {
  it('hides downloads from strangers', async () => {
    const attachment = await uploadFile();
    const res = await download(attachment.id, signIn());
    expect(res.status).toBe(404);
  });
});
