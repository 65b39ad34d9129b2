import { errorAnswer, route } from '@taskforge/common';
import { z } from 'zod';
import { CONTENT_MAX_LENGTH } from '../models/comment';
import {
  dateTime,
  entryPageQuery,
  forbidden,
  pageHeaders,
  required,
  signedInAnswers,
  taskIdParam,
  taskNotFound,
} from './shared';

export const commentInput = z
  .object({
    content: z
      .string(required('Content', 'a string'))
      .trim()
      .min(1, 'Content is required')
      .max(CONTENT_MAX_LENGTH, `Content must be at most ${CONTENT_MAX_LENGTH} characters`)
      .meta({ description: 'Markdown; mention a member with `@[Display Name](userId)`' }),
  })
  .meta({ id: 'CommentInput' });

export const commentResponse = z
  .object({
    id: z.string(),
    taskId: z.string(),
    authorId: z.string(),
    // No maximum: a deleted user's mention, shown as an unknown user, may read longer.
    content: z.string().meta({
      description:
        "Markdown as written, except that a deleted user's mention reads `@[Unknown user](userId)`",
    }),
    mentionedUsers: z
      .array(z.string())
      .meta({ description: 'Current team members mentioned as `@[Name](userId)`, each once' }),
    createdAt: dateTime,
    editedAt: dateTime.nullable(),
    version: z.int().min(0),
  })
  .meta({ id: 'Comment' });

export type CommentResponse = z.output<typeof commentResponse>;

const commentParams = { ...taskIdParam, commentId: { description: 'Comment id' } };
const badContent = errorAnswer('Missing or too long content');
const noSuchComment = errorAnswer('No such task or comment, or not a member');
const commentChangedFirst = errorAnswer('Another request changed the comment first; retry');

export const listComments = route({
  method: 'get',
  path: '/api/tasks/:id/comments',
  tags: ['comments'],
  summary: "A task's comments, oldest first",
  signedIn: true,
  pathParams: taskIdParam,
  query: entryPageQuery,
  responses: {
    200: {
      description: 'One page of comments',
      headers: pageHeaders,
      body: z.array(commentResponse),
    },
    400: errorAnswer('Invalid limit or cursor'),
    404: taskNotFound,
    ...signedInAnswers,
  },
});

export const createComment = route({
  method: 'post',
  path: '/api/tasks/:id/comments',
  tags: ['comments'],
  summary: 'Comment on a task',
  description: 'Needs `comment.create`. Publishes `comment.created` with the mentioned members.',
  signedIn: true,
  pathParams: taskIdParam,
  body: commentInput,
  responses: {
    201: { description: 'Created', body: commentResponse },
    400: badContent,
    403: forbidden,
    404: taskNotFound,
    ...signedInAnswers,
  },
});

export const updateComment = route({
  method: 'patch',
  path: '/api/tasks/:id/comments/:commentId',
  tags: ['comments'],
  summary: 'Edit your comment',
  description: 'The author only. Publishes `comment.updated`.',
  signedIn: true,
  pathParams: commentParams,
  body: commentInput,
  responses: {
    200: { description: 'The comment', body: commentResponse },
    400: badContent,
    403: errorAnswer('Not the author'),
    404: noSuchComment,
    409: commentChangedFirst,
    ...signedInAnswers,
  },
});

export const deleteComment = route({
  method: 'delete',
  path: '/api/tasks/:id/comments/:commentId',
  tags: ['comments'],
  summary: 'Delete a comment',
  description: 'The author or a team admin. Publishes `comment.deleted`.',
  signedIn: true,
  pathParams: commentParams,
  responses: {
    204: { description: 'Deleted' },
    403: errorAnswer('Neither the author nor an admin'),
    404: noSuchComment,
    409: commentChangedFirst,
    ...signedInAnswers,
  },
});
