import { isObjectId, outboxPlugin, type OutboxFields } from '@taskforge/common';
import mongoose, { Schema, type HydratedDocument } from 'mongoose';
import type { CommentResponse } from '../contracts/comments';

export const CONTENT_MAX_LENGTH = 10_000;

export interface CommentAttrs extends OutboxFields {
  taskId: string;
  teamId: string;
  authorId: string;
  content: string;
  mentionedUsers: string[];
  createdAt: Date;
  editedAt: Date | null;
  /** Soft delete: kept until the relay has published what the outbox holds. */
  deletedAt: Date | null;
  version: number;
}

export type CommentDocument = HydratedDocument<CommentAttrs>;

const commentSchema = new Schema<CommentAttrs>(
  {
    taskId: { type: String, required: true },
    teamId: { type: String, required: true },
    authorId: { type: String, required: true },
    content: { type: String, required: true, maxlength: CONTENT_MAX_LENGTH },
    mentionedUsers: { type: [String], default: [] },
    editedAt: { type: Date, default: null },
    deletedAt: { type: Date, default: null },
  },
  {
    optimisticConcurrency: true,
    versionKey: 'version',
    timestamps: { createdAt: true, updatedAt: false },
  },
);
outboxPlugin(commentSchema);
// A task's comments, oldest first, paged on (createdAt, _id).
commentSchema.index({ taskId: 1, createdAt: 1, _id: 1 });

export const Comment = mongoose.model<CommentAttrs>('Comment', commentSchema);

export function findComment(taskId: string, commentId: string): Promise<CommentDocument | null> {
  if (!isObjectId(commentId)) return Promise.resolve(null);
  // By _id (see findTask), then the rest in code.
  return Comment.findById(commentId)
    .exec()
    .then((comment) =>
      comment && comment.taskId === taskId && !comment.deletedAt ? comment : null,
    );
}

export function toCommentResponse(comment: CommentAttrs & { _id: unknown }): CommentResponse {
  return {
    id: String(comment._id),
    taskId: comment.taskId,
    authorId: comment.authorId,
    content: comment.content,
    mentionedUsers: [...comment.mentionedUsers],
    createdAt: comment.createdAt.toISOString(),
    editedAt: comment.editedAt ? comment.editedAt.toISOString() : null,
    version: comment.version,
  };
}
