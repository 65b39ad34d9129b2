import {
  dueDateFromInput,
  dueDateToInput,
  dueLabel,
  formatDay,
  formatDuration,
  formatRelative,
  isOverdue,
} from '../dates';

const now = new Date('2026-11-22T12:00:00.000Z');

describe('due dates', () => {
  it('stores a picked day as its last UTC millisecond and reads it back', () => {
    expect(dueDateFromInput('2026-11-24')).toBe('2026-11-24T23:59:59.999Z');
    expect(dueDateToInput('2026-11-24T23:59:59.999Z')).toBe('2026-11-24');
    expect(dueDateFromInput('')).toBeNull();
    expect(dueDateFromInput('2026-13-45')).toBeNull();
    expect(dueDateToInput(null)).toBe('');
  });

  it('is overdue once the due time has passed, unless done', () => {
    const yesterday = dueDateFromInput('2026-11-21');
    const today = dueDateFromInput('2026-11-22');
    expect(isOverdue({ dueDate: yesterday, status: 'todo' }, now)).toBe(true);
    expect(isOverdue({ dueDate: yesterday, status: 'done' }, now)).toBe(false);
    expect(isOverdue({ dueDate: today, status: 'todo' }, now)).toBe(false);
    expect(isOverdue({ dueDate: null, status: 'todo' }, now)).toBe(false);
  });

  it('labels due days for people', () => {
    expect(formatDay('2026-11-22T23:59:59.999Z', now)).toBe('today');
    expect(formatDay('2026-11-23T23:59:59.999Z', now)).toBe('tomorrow');
    expect(formatDay('2026-11-21T23:59:59.999Z', now)).toBe('yesterday');
    expect(formatDay('2026-12-05T23:59:59.999Z', now)).toBe('5 Dec');
    expect(formatDay('2027-01-05T23:59:59.999Z', now)).toBe('5 Jan 2027');
    expect(dueLabel({ dueDate: '2026-11-21T23:59:59.999Z', status: 'todo' }, now)).toBe(
      'Overdue · due yesterday',
    );
    expect(dueLabel({ dueDate: '2026-11-21T23:59:59.999Z', status: 'done' }, now)).toBe(
      'Due yesterday',
    );
    expect(dueLabel({ dueDate: null, status: 'todo' }, now)).toBeNull();
  });

  it('formats durations and relative times', () => {
    expect(formatDuration(30_000)).toBe('1 min');
    expect(formatDuration(45 * 60_000)).toBe('45 min');
    expect(formatDuration(5 * 3_600_000)).toBe('5 h');
    expect(formatDuration(84 * 3_600_000)).toBe('3.5 days');
    expect(formatRelative('2026-11-22T11:59:30.000Z', now)).toBe('just now');
    expect(formatRelative('2026-11-22T11:55:00.000Z', now)).toBe('5 min ago');
    expect(formatRelative('2026-11-22T09:00:00.000Z', now)).toBe('3 h ago');
    expect(formatRelative('2026-11-20T12:00:00.000Z', now)).toBe('2 days ago');
    expect(formatRelative('2026-10-01T12:00:00.000Z', now)).toBe('1 Oct');
  });
});
