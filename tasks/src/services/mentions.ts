import { UNKNOWN_PERSON } from '@taskforge/common';
import type { CommentResponse } from '../contracts/comments';
import { toCommentResponse, type CommentAttrs } from '../models/comment';
import { Membership } from '../replicas/membership';
import { findDeletedUsers } from '../replicas/user';

/**
 * Mentions are written as `@[Display Name](userId)`, the token the client inserts when a member
 * is picked from the list: the id makes them unambiguous (names change and repeat), the label
 * keeps the markdown readable. Ids are the ones auth issues (at most 64 of [A-Za-z0-9_-]).
 */
const MENTION = /@\[([^\]\n]{1,100})\]\(([A-Za-z0-9_-]{1,64})\)/g;

/** The user ids the text mentions, each once, in order of first mention. */
export function parseMentions(content: string): string[] {
  const ids = new Set<string>();
  for (const match of content.matchAll(MENTION)) {
    if (match[2]) ids.add(match[2]);
  }
  return [...ids];
}

/**
 * The mentioned users who are current members of the team; anyone else is ignored, and so is a
 * deleted account whose membership teams has not ended yet (its `member.removed` follows).
 */
export async function resolveMentions(teamId: string, content: string): Promise<string[]> {
  const ids = parseMentions(content);
  if (ids.length === 0) return [];
  const [members, deleted] = await Promise.all([
    Membership.find({ teamId, userId: { $in: ids }, active: true }, { userId: 1 }).lean(),
    findDeletedUsers(ids),
  ]);
  const memberIds = new Set(members.map((m) => m.userId));
  return ids.filter((id) => memberIds.has(id) && !deleted.has(id));
}

/** The text with the label of every mention of a deleted user replaced by `UNKNOWN_PERSON`. */
export function hideDeletedMentions(content: string, deleted: ReadonlySet<string>): string {
  if (deleted.size === 0) return content;
  return content.replace(MENTION, (token, _label, id: string) =>
    deleted.has(id) ? `@[${UNKNOWN_PERSON}](${id})` : token,
  );
}

/**
 * What clients see of comments. A mention's label is the name its author saw when writing it;
 * a deleted user's is hidden when read rather than rewritten on deletion, which would take a
 * new version and a `comment.updated` per comment, and would miss a label written afterwards.
 */
export async function commentResponses(
  comments: Array<CommentAttrs & { _id: unknown }>,
): Promise<CommentResponse[]> {
  const deleted = await findDeletedUsers([
    ...new Set(comments.flatMap((comment) => parseMentions(comment.content))),
  ]);
  return comments.map((comment) => {
    const response = toCommentResponse(comment);
    return { ...response, content: hideDeletedMentions(response.content, deleted) };
  });
}
