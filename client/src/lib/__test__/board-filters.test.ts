import {
  boardFiltersToQuery,
  hasFilters,
  matchesFilters,
  parseBoardFilters,
  taskListQuery,
} from '../board-filters';
import { buildTask } from './factories';

describe('board filters in the URL', () => {
  it('reads filters from the URL and writes them back in a stable order', () => {
    const filters = parseBoardFilters(
      new URLSearchParams('q=%20login%20&tag=ui&priority=urgent,low,bogus&assignee=me'),
    );
    expect(filters).toEqual({ assignee: 'me', priority: ['low', 'urgent'], tag: 'ui', q: 'login' });
    expect(boardFiltersToQuery(filters)).toBe('assignee=me&priority=low%2Curgent&tag=ui&q=login');
  });

  it('reads Next.js search params objects, first value of repeated ones', () => {
    expect(parseBoardFilters({ tag: ['a', 'b'], q: '', assignee: undefined })).toEqual({
      priority: [],
      tag: 'a',
    });
  });

  it('takes priorities from one comma-separated value or from repeated ones', () => {
    expect(parseBoardFilters(new URLSearchParams('priority=high&priority=low')).priority).toEqual([
      'low',
      'high',
    ]);
    expect(parseBoardFilters({ priority: ['urgent', 'medium,low'] }).priority).toEqual([
      'low',
      'medium',
      'urgent',
    ]);
  });

  it('ignores an assignee that is no id', () => {
    expect(parseBoardFilters({ assignee: '../../x' })).toEqual({ priority: [] });
  });

  it('says when nothing is filtered', () => {
    expect(hasFilters(parseBoardFilters({}))).toBe(false);
    expect(boardFiltersToQuery(parseBoardFilters({}))).toBe('');
  });

  it('asks tasks for the filtered board in position order', () => {
    const query = new URLSearchParams(
      taskListQuery('t1', { assignee: 'none', priority: ['high'], q: 'x' }, 'abc'),
    );
    expect(Object.fromEntries(query)).toEqual({
      teamId: 't1',
      sort: 'position',
      limit: '100',
      assigneeId: 'none',
      priority: 'high',
      q: 'x',
      cursor: 'abc',
    });
  });

  it('decides whether a changed task still belongs on the filtered board', () => {
    const task = buildTask({
      assigneeId: 'u1',
      priority: 'high',
      tags: ['ui'],
      title: 'Fix Login',
    });
    expect(matchesFilters(task, { priority: [] }, 'u1')).toBe(true);
    expect(matchesFilters(task, { assignee: 'me', priority: [] }, 'u1')).toBe(true);
    expect(matchesFilters(task, { assignee: 'me', priority: [] }, 'u2')).toBe(false);
    expect(matchesFilters(task, { assignee: 'none', priority: [] }, 'u1')).toBe(false);
    expect(matchesFilters(task, { priority: ['low'] }, 'u1')).toBe(false);
    expect(matchesFilters(task, { priority: [], tag: 'api' }, 'u1')).toBe(false);
    expect(matchesFilters(task, { priority: [], q: 'login' }, 'u1')).toBe(true);
  });
});
