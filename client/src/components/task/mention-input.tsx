'use client';

import { useId, useLayoutEffect, useRef, useState } from 'react';
import { displayName } from '@taskforge/common/display-name';
import { insertMention, mentionQueryAt } from '../../lib/mentions';
import type { Member } from '../../lib/types';

/**
 * A comment box that suggests team members after `@` (arrows choose, Enter or Tab inserts,
 * Escape closes) and inserts the mention token tasks understands.
 */
export function MentionInput({
  id,
  value,
  onChange,
  members,
  invalid,
  describedBy,
  label,
}: {
  id: string;
  value: string;
  onChange: (value: string) => void;
  members: Member[];
  invalid: boolean;
  describedBy?: string;
  label: string;
}) {
  const listId = useId();
  const textarea = useRef<HTMLTextAreaElement>(null);
  const [query, setQuery] = useState<{ start: number; query: string } | null>(null);
  const [active, setActive] = useState(0);
  // Where the caret goes once an inserted mention is on screen (before the next key press).
  const pendingCaret = useRef<number | null>(null);
  useLayoutEffect(() => {
    const caret = pendingCaret.current;
    if (caret === null || !textarea.current) return;
    pendingCaret.current = null;
    textarea.current.setSelectionRange(caret, caret);
  }, [value]);

  const matches = query
    ? members
        .filter((member) => {
          const needle = query.query.toLowerCase();
          return (
            displayName(member).toLowerCase().includes(needle) ||
            (member.email ?? '').toLowerCase().startsWith(needle)
          );
        })
        .slice(0, 6)
    : [];
  const open = matches.length > 0;

  function update(text: string, caret: number) {
    onChange(text);
    setQuery(mentionQueryAt(text, caret));
    setActive(0);
  }

  function choose(member: Member) {
    const element = textarea.current;
    if (!query || !element) return;
    const result = insertMention(value, query.start, element.selectionStart, {
      name: displayName(member),
      userId: member.userId,
    });
    pendingCaret.current = result.caret;
    onChange(result.text);
    setQuery(null);
    element.focus();
  }

  return (
    <div>
      <textarea
        ref={textarea}
        id={id}
        value={value}
        rows={3}
        role="combobox"
        aria-label={label}
        aria-expanded={open}
        aria-controls={listId}
        aria-autocomplete="list"
        aria-activedescendant={open ? `${listId}-${active}` : undefined}
        aria-invalid={invalid}
        aria-describedby={describedBy}
        onChange={(event) => update(event.target.value, event.target.selectionStart)}
        onClick={(event) => setQuery(mentionQueryAt(value, event.currentTarget.selectionStart))}
        onBlur={() => setQuery(null)}
        onKeyDown={(event) => {
          if (!open) return;
          if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
            event.preventDefault();
            const step = event.key === 'ArrowDown' ? 1 : -1;
            setActive((current) => (current + step + matches.length) % matches.length);
          } else if (event.key === 'Enter' || event.key === 'Tab') {
            const member = matches[active];
            if (member) {
              event.preventDefault();
              choose(member);
            }
          } else if (event.key === 'Escape') {
            event.preventDefault();
            setQuery(null);
          }
        }}
      />
      <ul
        id={listId}
        role="listbox"
        aria-label="Members to mention"
        className="suggestions"
        hidden={!open}
      >
        {matches.map((member, index) => (
          <li
            key={member.userId}
            id={`${listId}-${index}`}
            role="option"
            aria-selected={index === active}
            onMouseDown={(event) => {
              // Before the textarea's blur closes the list.
              event.preventDefault();
              choose(member);
            }}
          >
            {displayName(member)} <span className="muted small">{member.email}</span>
          </li>
        ))}
      </ul>
    </div>
  );
}
