import mongoose, { Schema } from 'mongoose';

/**
 * Who commented on which task, and when (the owner's clock): "earlier commenters" of a comment
 * are the authors of the task's comments that occurred before it. Keyed by comment id, so a
 * redelivered `comment.created` finds the same earlier commenters, not later ones.
 */
export interface TaskCommentAttrs {
  _id: string;
  taskId: string;
  authorId: string;
  occurredAt: Date;
}

const taskCommentSchema = new Schema<TaskCommentAttrs>(
  {
    _id: { type: String, required: true },
    taskId: { type: String, required: true },
    authorId: { type: String, required: true },
    occurredAt: { type: Date, required: true },
  },
  { versionKey: false },
);
taskCommentSchema.index({ taskId: 1, occurredAt: 1 });

export const TaskComment = mongoose.model<TaskCommentAttrs>('TaskComment', taskCommentSchema);

/** Distinct authors of the task's comments that occurred before `occurredAt`. */
export function earlierCommenters(taskId: string, occurredAt: Date): Promise<string[]> {
  return TaskComment.distinct('authorId', { taskId, occurredAt: { $lt: occurredAt } });
}

/** Remembers a comment once; a redelivered event finds it already there. */
export async function recordComment(comment: TaskCommentAttrs): Promise<void> {
  try {
    await TaskComment.create(comment);
  } catch (err) {
    if ((err as { code?: number }).code !== 11000) throw err;
  }
}
