import type { EventData } from '@taskforge/common';
import request from 'supertest';
import { Activity } from '../../../models/activity';
import { Task } from '../../../models/task';
import { MAX_ATTACHMENT_BYTES } from '../../../services/uploads';
import { attachmentRequests, file } from '../../../test/attachments';
import { signIn } from '../../../test/factories';
import { expectDocumented } from '../../../test/openapi';
import { taskPerTest } from '../../../test/team-fixture';

const given = taskPerTest(() => ({ title: 'With files' }));

const { start, confirm, download, upload } = attachmentRequests(() => given);

describe('POST /api/tasks/:id/attachments', () => {
  it('uploads through the presigned URL, records the file and downloads it back', async () => {
    const started = await start({
      name: 'spec.pdf',
      size: file.length,
      mimetype: 'application/pdf',
    });
    expect(started.status).toBe(201);
    expectDocumented('post', '/api/tasks/{id}/attachments', started);
    expect(started.body).toMatchObject({
      method: 'PUT',
      headers: { 'Content-Type': 'application/pdf' },
    });
    expect(new URL(started.body.uploadUrl).searchParams.get('X-Amz-SignedHeaders')).toContain(
      'content-length',
    );

    expect((await upload(started.body.uploadUrl, file, 'application/pdf')).status).toBe(200);
    const confirmed = await confirm(started.body.uploadId);
    expect(confirmed.status).toBe(201);
    expectDocumented('post', '/api/tasks/{id}/attachments/{attachmentId}/confirm', confirmed);
    expect(confirmed.body).toEqual({
      id: started.body.uploadId,
      name: 'spec.pdf',
      size: file.length,
      mimetype: 'application/pdf',
      uploadedAt: expect.any(String),
      uploadedBy: given.team.member.id,
    });
    // A repeated confirm answers the same and records nothing twice.
    expect((await confirm(started.body.uploadId).expect(201)).body).toEqual(confirmed.body);

    const stored = await Task.findById(given.task.id).lean().orFail();
    expect(stored.attachments).toHaveLength(1);
    expect(stored.version).toBe(1);
    const shown = await request(given.app)
      .get(`/api/tasks/${given.task.id}`)
      .set('Cookie', given.team.guest.cookie)
      .expect(200);
    expect(shown.body.attachments).toEqual([confirmed.body]);

    const link = await download(confirmed.body.id);
    expect(link.status).toBe(200);
    expectDocumented('get', '/api/tasks/{id}/attachments/{attachmentId}', link);
    const fetched = await fetch(link.body.url);
    expect(fetched.status).toBe(200);
    expect(Buffer.from(await fetched.arrayBuffer())).toEqual(file);
    expect(fetched.headers.get('content-disposition')).toContain('spec.pdf');

    const [added] = await given.ctx.eventsFor('attachment.added', confirmed.body.id);
    expect(added?.data).toEqual({
      id: confirmed.body.id,
      taskId: given.task.id,
      teamId: given.team.id,
      version: 1,
      name: 'spec.pdf',
      size: file.length,
      mimetype: 'application/pdf',
      uploadedBy: given.team.member.id,
    });
    // The task's own chain stays gapless for consumers of task.*.
    const [updated] = await given.ctx.eventsFor('task.updated', given.task.id);
    expect((updated?.data as EventData<'task.updated'>).changes).toEqual({
      attachments: { from: 0, to: 1 },
    });
    expect(
      await Activity.findOne({ taskId: given.task.id, type: 'attachment.added' }).lean(),
    ).toMatchObject({
      actorId: given.team.member.id,
      attachment: { id: confirmed.body.id, name: 'spec.pdf' },
    });
  });
  it('refuses files over 25 MB and types outside the allow-list before signing anything', async () => {
    const tooBig = await start({
      name: 'big.zip',
      size: MAX_ATTACHMENT_BYTES + 1,
      mimetype: 'application/zip',
    });
    expect(tooBig.status).toBe(400);
    expectDocumented('post', '/api/tasks/{id}/attachments', tooBig);
    expect(tooBig.body).toEqual({
      errors: [{ message: 'Files must be at most 25 MB', field: 'size' }],
    });
    // A list of allowed types is not a type (isIn alone would check each item).
    for (const mimetype of [
      'text/html',
      'image/svg+xml',
      'application/x-msdownload',
      ['text/plain'],
    ]) {
      const res = await start({ name: 'x', size: 10, mimetype });
      expect(res.status).toBe(400);
      expect(res.body).toEqual({
        errors: [{ message: 'This file type is not allowed', field: 'mimetype' }],
      });
    }
    const badName = await start({ name: '../../etc/passwd', size: 10, mimetype: 'text/plain' });
    expect(badName.status).toBe(400);
  });
  it('lets storage refuse a body of another size or type than the one signed', async () => {
    const started = await start({ name: 'notes.txt', size: 5, mimetype: 'text/plain' }).expect(201);
    expect(
      (await upload(started.body.uploadUrl, Buffer.from('much longer than five'), 'text/plain'))
        .status,
    ).toBe(403);
    expect((await upload(started.body.uploadUrl, Buffer.from('12345'), 'image/png')).status).toBe(
      403,
    );
    const res = await confirm(started.body.uploadId);
    expect(res.status).toBe(400);
    expectDocumented('post', '/api/tasks/{id}/attachments/{attachmentId}/confirm', res);
    expect(res.body).toEqual({ errors: [{ message: 'The file has not been uploaded yet' }] });
  });
  it('lets only members with task.update upload, and only the uploader confirm', async () => {
    const body = { name: 'x.txt', size: 1, mimetype: 'text/plain' };
    const guest = await start(body, given.team.guest);
    expect(guest.status).toBe(403);
    expectDocumented('post', '/api/tasks/{id}/attachments', guest);
    const stranger = await start(body, signIn());
    expect(stranger.status).toBe(404);
    expectDocumented('post', '/api/tasks/{id}/attachments', stranger);

    const started = await start(body).expect(201);
    await upload(started.body.uploadUrl, Buffer.from('x'), 'text/plain');
    const byAdmin = await confirm(started.body.uploadId, given.team.admin);
    expect(byAdmin.status).toBe(403);
    expectDocumented('post', '/api/tasks/{id}/attachments/{attachmentId}/confirm', byAdmin);
    const unknown = await confirm('00000000-0000-4000-8000-000000000000');
    expect(unknown.status).toBe(404);
  });
});
