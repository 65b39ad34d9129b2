'use client';

import { useRef, useState } from 'react';
import { displayName } from '@taskforge/common/display-name';
import { ApiError, formErrorsOf } from '../../lib/api-errors';
import { formatBytes } from '../../lib/format';
import { api } from '../../lib/http';
import type { Attachment, Member, Upload } from '../../lib/types';
import { LocalTime } from '../local-time';

/** PUTs a file to a presigned URL, reporting progress; XMLHttpRequest, as fetch has no upload progress. */
function putFile(
  upload: Upload,
  file: File,
  onProgress: (fraction: number) => void,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open(upload.method, upload.uploadUrl);
    for (const [name, value] of Object.entries(upload.headers)) xhr.setRequestHeader(name, value);
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable) onProgress(event.loaded / event.total);
    };
    xhr.onload = () =>
      xhr.status >= 200 && xhr.status < 300
        ? resolve()
        : reject(
            new ApiError(xhr.status, [
              { message: `The storage refused the file (${xhr.status}).` },
            ]),
          );
    xhr.onerror = () =>
      reject(
        new ApiError(0, [{ message: 'The upload failed. Check your connection and try again.' }]),
      );
    xhr.send(file);
  });
}

/**
 * Attachments go straight to object storage: tasks presigns a PUT for the file's size and type,
 * the browser uploads it (with a progress bar), then tasks checks and records it. Downloads use a
 * short-lived presigned GET.
 */
export function Attachments({
  taskId,
  initialAttachments,
  members,
  canUpdate,
}: {
  taskId: string;
  initialAttachments: Attachment[];
  members: Member[];
  canUpdate: boolean;
}) {
  const [attachments, setAttachments] = useState(initialAttachments);
  const [progress, setProgress] = useState<{ name: string; fraction: number } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const input = useRef<HTMLInputElement>(null);
  const base = `/api/tasks/${encodeURIComponent(taskId)}/attachments`;

  async function upload(file: File) {
    setError(null);
    setProgress({ name: file.name, fraction: 0 });
    try {
      const started = await api<Upload>(base, {
        method: 'POST',
        body: {
          name: file.name,
          size: file.size,
          mimetype: file.type || 'application/octet-stream',
        },
      });
      await putFile(started, file, (fraction) => setProgress({ name: file.name, fraction }));
      const attachment = await api<Attachment>(
        `${base}/${encodeURIComponent(started.uploadId)}/confirm`,
        { method: 'POST' },
      );
      setAttachments((current) => [...current.filter((a) => a.id !== attachment.id), attachment]);
    } catch (err) {
      setError(formErrorsOf(err, []).general.join(' ') || 'The upload failed.');
    } finally {
      setProgress(null);
      if (input.current) input.current.value = '';
    }
  }

  async function download(attachment: Attachment) {
    setError(null);
    try {
      const { url } = await api<{ url: string }>(`${base}/${encodeURIComponent(attachment.id)}`);
      // The URL answers with Content-Disposition: attachment, so the page stays where it is.
      window.location.assign(url);
    } catch (err) {
      setError(formErrorsOf(err, []).general.join(' '));
    }
  }

  async function remove(attachment: Attachment) {
    if (!window.confirm(`Remove ${attachment.name}?`)) return;
    setError(null);
    try {
      await api(`${base}/${encodeURIComponent(attachment.id)}`, { method: 'DELETE' });
      setAttachments((current) => current.filter((a) => a.id !== attachment.id));
    } catch (err) {
      setError(formErrorsOf(err, []).general.join(' '));
    }
  }

  return (
    <section className="card" aria-labelledby="attachments-heading">
      <h2 id="attachments-heading" className="card-title">
        Attachments
      </h2>
      {error && (
        <p className="form-errors" role="alert">
          {error}
        </p>
      )}
      {attachments.length === 0 ? (
        <p className="muted">No files attached.</p>
      ) : (
        <ul className="list" data-testid="attachments">
          {attachments.map((attachment) => {
            const uploader = members.find((m) => m.userId === attachment.uploadedBy);
            return (
              <li key={attachment.id}>
                <button type="button" className="link" onClick={() => void download(attachment)}>
                  {attachment.name}
                </button>{' '}
                <span className="muted small">
                  {formatBytes(attachment.size)} ·{' '}
                  {uploader ? displayName(uploader) : 'a former member'} ·{' '}
                  <LocalTime iso={attachment.uploadedAt} relative />
                </span>
                {canUpdate && (
                  <>
                    {' '}
                    <button
                      type="button"
                      className="link small"
                      aria-label={`Remove ${attachment.name}`}
                      onClick={() => void remove(attachment)}
                    >
                      Remove
                    </button>
                  </>
                )}
              </li>
            );
          })}
        </ul>
      )}
      {progress && (
        <div className="field" role="status">
          <label htmlFor="upload-progress">Uploading {progress.name}</label>
          <progress id="upload-progress" max={1} value={progress.fraction}>
            {Math.round(progress.fraction * 100)}%
          </progress>
        </div>
      )}
      {canUpdate && (
        <div className="field space-above-m">
          <label htmlFor="attachment-file">Attach a file</label>
          <input
            ref={input}
            id="attachment-file"
            type="file"
            disabled={progress !== null}
            aria-describedby="attachment-hint"
            onChange={(event) => {
              const file = event.target.files?.[0];
              if (file) void upload(file);
            }}
          />
          <span className="field-hint" id="attachment-hint">
            Up to 25 MB: documents, images, text, CSV, JSON or ZIP.
          </span>
        </div>
      )}
    </section>
  );
}
