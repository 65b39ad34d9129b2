import { Membership } from '../models/membership';

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

/** The mentioned users who are current members of the team; anyone else is ignored. */
export async function resolveMentions(teamId: string, content: string): Promise<string[]> {
  const ids = parseMentions(content);
  if (ids.length === 0) return [];
  const members = await Membership.find(
    { teamId, userId: { $in: ids }, active: true },
    { userId: 1 },
  ).lean();
  const memberIds = new Set(members.map((m) => m.userId));
  return ids.filter((id) => memberIds.has(id));
}
