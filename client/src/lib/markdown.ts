import { splitMentions } from './mentions';

/*
 * A small Markdown subset for task descriptions and comments, parsed into a tree the UI renders
 * as React elements: never HTML, so nothing a user writes can become markup or script. Links
 * keep only safe targets.
 */

export type Inline =
  | { type: 'text'; text: string }
  | { type: 'code'; text: string }
  | { type: 'strong'; children: Inline[] }
  | { type: 'em'; children: Inline[] }
  | { type: 'link'; href: string; children: Inline[] }
  | { type: 'mention'; name: string; userId: string };

export type Block =
  | { type: 'paragraph'; lines: Inline[][] }
  | { type: 'list'; ordered: boolean; items: Inline[][] }
  | { type: 'code'; text: string }
  | { type: 'heading'; children: Inline[] };

/** http(s) and mailto links, and paths inside the app; anything else (javascript:, data:) is text. */
export function safeHref(href: string): string | undefined {
  const trimmed = href.trim();
  if (/^\/(?!\/)/.test(trimmed)) return trimmed;
  try {
    const url = new URL(trimmed);
    return ['http:', 'https:', 'mailto:'].includes(url.protocol) ? url.toString() : undefined;
  } catch {
    return undefined;
  }
}

const INLINE =
  /`([^`\n]+)`|\*\*([^*\n]+?)\*\*|(?<![\w*])\*([^*\n]+?)\*(?![\w*])|(?<!\w)_([^_\n]+?)_(?!\w)|\[([^\]\n]+)\]\(([^)\s]+)\)/g;

function parseEmphasis(text: string): Inline[] {
  const out: Inline[] = [];
  let last = 0;
  for (const match of text.matchAll(INLINE)) {
    const index = match.index ?? 0;
    if (index > last) out.push({ type: 'text', text: text.slice(last, index) });
    const [whole, code, strong, star, underscore, label, href] = match;
    if (code !== undefined) out.push({ type: 'code', text: code });
    else if (strong !== undefined) out.push({ type: 'strong', children: parseEmphasis(strong) });
    else if (star !== undefined || underscore !== undefined) {
      out.push({ type: 'em', children: parseEmphasis(star ?? underscore ?? '') });
    } else if (label !== undefined && href !== undefined) {
      const safe = safeHref(href);
      out.push(
        safe
          ? { type: 'link', href: safe, children: parseEmphasis(label) }
          : { type: 'text', text: whole },
      );
    }
    last = index + whole.length;
  }
  if (last < text.length) out.push({ type: 'text', text: text.slice(last) });
  return out;
}

/** One line: mentions first (their labels are not Markdown), then emphasis, code and links. */
export function parseInline(line: string): Inline[] {
  return splitMentions(line).flatMap((segment): Inline[] =>
    segment.type === 'mention'
      ? [{ type: 'mention', name: segment.name, userId: segment.userId }]
      : parseEmphasis(segment.text),
  );
}

const BULLET = /^\s*[-*]\s+(.*)$/;
const NUMBERED = /^\s*\d+[.)]\s+(.*)$/;
const HEADING = /^#{1,6}\s+(.*)$/;

export function parseMarkdown(source: string): Block[] {
  const blocks: Block[] = [];
  const lines = source.replace(/\r\n?/g, '\n').split('\n');
  let i = 0;
  while (i < lines.length) {
    const line = lines[i] ?? '';
    if (line.trim() === '') {
      i += 1;
    } else if (line.startsWith('```')) {
      const code: string[] = [];
      i += 1;
      while (i < lines.length && !(lines[i] ?? '').startsWith('```')) code.push(lines[i++] ?? '');
      i += 1;
      blocks.push({ type: 'code', text: code.join('\n') });
    } else if (HEADING.test(line)) {
      blocks.push({ type: 'heading', children: parseInline(HEADING.exec(line)?.[1] ?? '') });
      i += 1;
    } else if (BULLET.test(line) || NUMBERED.test(line)) {
      const ordered = !BULLET.test(line);
      const pattern = ordered ? NUMBERED : BULLET;
      const items: Inline[][] = [];
      while (i < lines.length && pattern.test(lines[i] ?? '')) {
        items.push(parseInline(pattern.exec(lines[i] ?? '')?.[1] ?? ''));
        i += 1;
      }
      blocks.push({ type: 'list', ordered, items });
    } else {
      const paragraph: Inline[][] = [];
      while (
        i < lines.length &&
        (lines[i] ?? '').trim() !== '' &&
        !(lines[i] ?? '').startsWith('```') &&
        !HEADING.test(lines[i] ?? '') &&
        !BULLET.test(lines[i] ?? '') &&
        !NUMBERED.test(lines[i] ?? '')
      ) {
        paragraph.push(parseInline(lines[i] ?? ''));
        i += 1;
      }
      blocks.push({ type: 'paragraph', lines: paragraph });
    }
  }
  return blocks;
}
