import type { Express } from 'express';
import request from 'supertest';
import type { TaskResponse } from '../contracts/tasks';
import type { SignedInUser, TestTeam } from './factories';

/** The task whose attachments a test works on, read when each request is made. */
export interface AttachmentTarget {
  app: Express;
  team: TestTeam;
  task: TaskResponse;
}

/** A small PDF, the file most attachment tests upload. */
export const file = Buffer.from('%PDF-1.4 a tiny test document\n');

/**
 * The requests of the attachment routes, each as the member a browser of that role would be:
 * step one (`start`), the browser's PUT to the presigned URL (`upload`), step two (`confirm`),
 * then `download` and `remove`; `uploadFile` does the three steps of a good upload.
 */
export function attachmentRequests(target: () => AttachmentTarget) {
  const start = (body: object, user?: SignedInUser, taskId?: string) => {
    const { app, team, task } = target();
    return request(app)
      .post(`/api/tasks/${taskId ?? task.id}/attachments`)
      .set('Cookie', (user ?? team.member).cookie)
      .send(body);
  };
  const confirm = (uploadId: string, user?: SignedInUser) => {
    const { app, team, task } = target();
    return request(app)
      .post(`/api/tasks/${task.id}/attachments/${uploadId}/confirm`)
      .set('Cookie', (user ?? team.member).cookie);
  };
  const download = (attachmentId: string, user?: SignedInUser) => {
    const { app, team, task } = target();
    return request(app)
      .get(`/api/tasks/${task.id}/attachments/${attachmentId}`)
      .set('Cookie', (user ?? team.guest).cookie);
  };
  const remove = (attachmentId: string, user?: SignedInUser) => {
    const { app, team, task } = target();
    return request(app)
      .delete(`/api/tasks/${task.id}/attachments/${attachmentId}`)
      .set('Cookie', (user ?? team.member).cookie);
  };

  /** What a browser does with the answer of step one: PUT the bytes to the presigned URL. */
  const upload = (url: string, body: Buffer, contentType: string) =>
    fetch(url, { method: 'PUT', body, headers: { 'Content-Type': contentType } });

  async function uploadFile(name = 'spec.pdf', content = file, mimetype = 'application/pdf') {
    const started = await start({ name, size: content.length, mimetype }).expect(201);
    const put = await upload(started.body.uploadUrl, content, mimetype);
    expect(put.status).toBe(200);
    const confirmed = await confirm(started.body.uploadId).expect(201);
    return confirmed.body as { id: string; name: string };
  }

  return { start, confirm, download, remove, upload, uploadFile };
}
