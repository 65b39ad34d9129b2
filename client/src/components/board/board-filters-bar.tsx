'use client';

import { usePathname, useRouter } from 'next/navigation';
import { useRef, type FormEvent } from 'react';
import { displayName } from '@taskforge/common/display-name';
import {
  boardFiltersToQuery,
  hasFilters,
  parseBoardFilters,
  type BoardFilters,
} from '../../lib/board-filters';
import { PRIORITY_LABELS, TASK_PRIORITIES, type Member } from '../../lib/types';

/**
 * The board's filters. A plain GET form (it works before the script loads); with the script, it
 * writes a tidy URL, and choices apply at once.
 */
export function BoardFiltersBar({
  filters,
  members,
}: {
  filters: BoardFilters;
  members: Member[];
}) {
  const router = useRouter();
  const pathname = usePathname();
  const form = useRef<HTMLFormElement>(null);

  function apply(event?: FormEvent<HTMLFormElement>) {
    event?.preventDefault();
    if (!form.current) return;
    const data = new FormData(form.current);
    const params = new URLSearchParams();
    for (const [name, value] of data) if (typeof value === 'string') params.append(name, value);
    const query = boardFiltersToQuery(parseBoardFilters(params));
    router.replace(query ? `${pathname}?${query}` : pathname, { scroll: false });
  }

  return (
    <form
      ref={form}
      className="filters"
      method="get"
      role="search"
      aria-label="Filter the board"
      onSubmit={apply}
    >
      <div className="field">
        <label htmlFor="filter-q">Search</label>
        <input
          id="filter-q"
          name="q"
          type="search"
          defaultValue={filters.q}
          placeholder="Title or description"
        />
      </div>
      <div className="field">
        <label htmlFor="filter-assignee">Assignee</label>
        <select
          id="filter-assignee"
          name="assignee"
          defaultValue={filters.assignee ?? ''}
          onChange={() => apply()}
        >
          <option value="">Anyone</option>
          <option value="me">Me</option>
          <option value="none">Unassigned</option>
          {members.map((member) => (
            <option key={member.userId} value={member.userId}>
              {displayName(member)}
            </option>
          ))}
        </select>
      </div>
      <fieldset className="field plain-fieldset flush">
        <legend className="label">Priority</legend>
        <div className="button-row">
          {TASK_PRIORITIES.map((priority) => (
            <label key={priority} className="small">
              <input
                type="checkbox"
                name="priority"
                value={priority}
                defaultChecked={filters.priority.includes(priority)}
                onChange={() => apply()}
              />{' '}
              {PRIORITY_LABELS[priority]}
            </label>
          ))}
        </div>
      </fieldset>
      <div className="field">
        <label htmlFor="filter-tag">Tag</label>
        <input id="filter-tag" name="tag" defaultValue={filters.tag} />
      </div>
      <div className="button-row">
        <button type="submit">Apply</button>
        {hasFilters(filters) && (
          <button type="button" onClick={() => router.replace(pathname, { scroll: false })}>
            Clear filters
          </button>
        )}
      </div>
    </form>
  );
}
