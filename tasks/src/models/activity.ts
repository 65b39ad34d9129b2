import mongoose, { Schema } from 'mongoose';

export const ACTIVITY_TYPES = [
  'task.created',
  'task.updated',
  'comment.created',
  'attachment.added',
  'attachment.removed',
] as const;
export type ActivityType = (typeof ACTIVITY_TYPES)[number];

export interface FieldChange {
  field: string;
  from: unknown;
  to: unknown;
}

/**
 * One entry of a task's history, derived from the event its write recorded: `_id` is the event
 * id, so writing it twice (the route, then the listener that repairs a missed write) is a no-op.
 */
export interface ActivityAttrs {
  _id: string;
  taskId: string;
  teamId: string;
  actorId: string | null;
  type: ActivityType;
  changes: FieldChange[];
  commentId: string | null;
  attachment: { id: string; name: string } | null;
  taskVersion: number | null;
  at: Date;
}

const activitySchema = new Schema<ActivityAttrs>(
  {
    _id: { type: String, required: true },
    taskId: { type: String, required: true },
    teamId: { type: String, required: true },
    actorId: { type: String, default: null },
    type: { type: String, enum: ACTIVITY_TYPES, required: true },
    changes: {
      type: [{ _id: false, field: String, from: Schema.Types.Mixed, to: Schema.Types.Mixed }],
      default: [],
    },
    commentId: { type: String, default: null },
    attachment: {
      type: new Schema({ id: String, name: String }, { _id: false }),
      default: null,
    },
    taskVersion: { type: Number, default: null },
    at: { type: Date, required: true },
  },
  { versionKey: false, minimize: false },
);
activitySchema.index({ taskId: 1, at: -1, _id: -1 });

export const Activity = mongoose.model<ActivityAttrs>('Activity', activitySchema);
