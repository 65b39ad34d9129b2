/**
 * Mentions as tasks stores them: `@[Display Name](userId)`. The client inserts the token when a
 * member is picked, and shows it as the name; ids are auth's (at most 64 of [A-Za-z0-9_-]).
 */
export const MENTION_PATTERN = /@\[([^\]\n]{1,100})\]\(([A-Za-z0-9_-]{1,64})\)/g;

export type MentionSegment =
  { type: 'text'; text: string } | { type: 'mention'; name: string; userId: string };

/** Text split into plain runs and mentions, in order. */
export function splitMentions(content: string): MentionSegment[] {
  const segments: MentionSegment[] = [];
  let last = 0;
  for (const match of content.matchAll(MENTION_PATTERN)) {
    const index = match.index ?? 0;
    if (index > last) segments.push({ type: 'text', text: content.slice(last, index) });
    segments.push({ type: 'mention', name: match[1] ?? '', userId: match[2] ?? '' });
    last = index + match[0].length;
  }
  if (last < content.length) segments.push({ type: 'text', text: content.slice(last) });
  return segments;
}

/** The user ids a text mentions, each once, in order of first mention. */
export function mentionedIds(content: string): string[] {
  return [
    ...new Set(splitMentions(content).flatMap((s) => (s.type === 'mention' ? [s.userId] : []))),
  ];
}

/** The token for a member; the label loses what would end it early. */
export function mentionToken(name: string, userId: string): string {
  const label =
    name
      .replace(/[\]\n\r]/g, ' ')
      .trim()
      .slice(0, 100) || 'member';
  return `@[${label}](${userId})`;
}

/**
 * The mention being typed at the caret: `@` at the start or after whitespace, then up to 30
 * characters without whitespace. Null when the caret is not in one.
 */
export function mentionQueryAt(
  text: string,
  caret: number,
): { start: number; query: string } | null {
  const before = text.slice(0, caret);
  const match = /(^|\s)@([^\s@[\]()]{0,30})$/.exec(before);
  if (!match) return null;
  const query = match[2] ?? '';
  return { start: caret - query.length - 1, query };
}

/** Replaces the typed `@query` (from `start` to the caret) with the member's token. */
export function insertMention(
  text: string,
  start: number,
  caret: number,
  member: { name: string; userId: string },
): { text: string; caret: number } {
  const token = `${mentionToken(member.name, member.userId)} `;
  return { text: text.slice(0, start) + token + text.slice(caret), caret: start + token.length };
}
