'use client';

import { useState } from 'react';
import { displayName } from '@taskforge/common/display-name';
import { formErrorsOf } from '../../lib/api-errors';
import { api } from '../../lib/http';
import type { Comment, Member } from '../../lib/types';
import { Avatar } from '../avatar';
import { FormErrorSummary, useApiForm } from '../form';
import { useLiveEvent } from '../live';
import { LocalTime } from '../local-time';
import { MarkdownView } from '../markdown-view';
import { MentionInput } from './mention-input';

/** The task's comments, oldest first, with a composer that mentions members. */
export function Comments({
  taskId,
  initialComments,
  members,
  currentUserId,
  isAdmin,
  canComment,
}: {
  taskId: string;
  initialComments: Comment[];
  members: Member[];
  currentUserId: string;
  isAdmin: boolean;
  canComment: boolean;
}) {
  const [comments, setComments] = useState(initialComments);
  const [draft, setDraft] = useState('');
  const [editing, setEditing] = useState<{ id: string; text: string } | null>(null);
  const [actionError, setActionError] = useState<string | null>(null);
  const { errors, pending, run } = useApiForm(['content']);
  const edit = useApiForm(['content']);
  const base = `/api/tasks/${encodeURIComponent(taskId)}/comments`;

  const member = (userId: string) => members.find((m) => m.userId === userId);
  // Mentions show the member's current name; someone who left keeps the name written then.
  const nameOf = (userId: string, fallback: string) => {
    const found = member(userId);
    return found ? displayName(found) : fallback;
  };

  useLiveEvent('comment.created', (data) => {
    const event = data as { taskId?: string; id?: string };
    if (event.taskId !== taskId || comments.some((c) => c.id === event.id)) return;
    api<Comment[]>(`${base}?limit=100`)
      .then(setComments)
      .catch(() => undefined);
  });

  async function remove(comment: Comment) {
    if (!window.confirm('Delete this comment?')) return;
    setActionError(null);
    try {
      await api(`${base}/${comment.id}`, { method: 'DELETE' });
      setComments((current) => current.filter((c) => c.id !== comment.id));
    } catch (err) {
      setActionError(formErrorsOf(err, []).general.join(' '));
    }
  }

  return (
    <section className="card" aria-labelledby="comments-heading">
      <h2 id="comments-heading" className="card-title">
        Comments ({comments.length})
      </h2>
      {actionError && (
        <p className="form-errors" role="alert">
          {actionError}
        </p>
      )}
      {comments.length === 0 && <p className="muted">No comments yet.</p>}
      <ol className="list" data-testid="comments">
        {comments.map((comment) => {
          const author = member(comment.authorId);
          const mine = comment.authorId === currentUserId;
          return (
            <li key={comment.id} id={`comment-${comment.id}`} className="comment">
              <div className="card-meta">
                <Avatar person={author} label={author ? displayName(author) : 'Former member'} />
                <strong>{author ? displayName(author) : 'Former member'}</strong>
                <span className="muted">
                  <LocalTime iso={comment.createdAt} relative />
                  {comment.editedAt && ' · edited'}
                </span>
              </div>
              {editing?.id === comment.id ? (
                <form
                  className="stack"
                  onSubmit={(event) => {
                    event.preventDefault();
                    void edit.run(async () => {
                      const saved = await api<Comment>(`${base}/${comment.id}`, {
                        method: 'PATCH',
                        body: { content: editing.text },
                      });
                      setComments((current) => current.map((c) => (c.id === saved.id ? saved : c)));
                      setEditing(null);
                    });
                  }}
                >
                  <FormErrorSummary errors={edit.errors} />
                  <MentionInput
                    id={`edit-${comment.id}`}
                    label="Edit comment"
                    value={editing.text}
                    onChange={(text) => setEditing({ id: comment.id, text })}
                    members={members}
                    invalid={Boolean(edit.errors.fields.content)}
                  />
                  {edit.errors.fields.content && (
                    <span className="field-error">{edit.errors.fields.content}</span>
                  )}
                  <div className="button-row">
                    <button type="submit" className="primary" disabled={edit.pending}>
                      Save
                    </button>
                    <button type="button" onClick={() => setEditing(null)}>
                      Cancel
                    </button>
                  </div>
                </form>
              ) : (
                <>
                  <MarkdownView source={comment.content} nameOf={nameOf} />
                  {(mine || isAdmin) && (
                    <div className="button-row small">
                      {mine && (
                        <button
                          type="button"
                          className="link"
                          onClick={() => setEditing({ id: comment.id, text: comment.content })}
                        >
                          Edit
                        </button>
                      )}
                      <button type="button" className="link" onClick={() => void remove(comment)}>
                        Delete
                      </button>
                    </div>
                  )}
                </>
              )}
            </li>
          );
        })}
      </ol>
      {canComment ? (
        <form
          className="stack"
          noValidate
          aria-label="Add a comment"
          onSubmit={(event) => {
            event.preventDefault();
            void run(async () => {
              const comment = await api<Comment>(base, {
                method: 'POST',
                body: { content: draft },
              });
              setComments((current) => [...current, comment]);
              setDraft('');
            });
          }}
        >
          <FormErrorSummary errors={errors} />
          <MentionInput
            id="new-comment"
            label="Comment"
            value={draft}
            onChange={setDraft}
            members={members}
            invalid={Boolean(errors.fields.content)}
            describedBy="new-comment-hint"
          />
          <span className="field-hint" id="new-comment-hint">
            Type @ to mention a member; Markdown works.
          </span>
          {errors.fields.content && <span className="field-error">{errors.fields.content}</span>}
          <div>
            <button type="submit" className="primary" disabled={pending}>
              Comment
            </button>
          </div>
        </form>
      ) : (
        <p className="muted">Your role cannot comment.</p>
      )}
    </section>
  );
}
