import { TASK_PRIORITIES, type Task, type TaskPriority } from './types';

/**
 * The board's filters, kept in the URL so a view can be shared: `?assignee=<id>|me|none`,
 * `priority=high,urgent`, `tag=…`, `q=…`.
 */
export interface BoardFilters {
  assignee?: string;
  priority: TaskPriority[];
  tag?: string;
  q?: string;
}

type Params = URLSearchParams | Record<string, string | string[] | undefined>;

function read(params: Params, name: string): string | undefined {
  const raw = params instanceof URLSearchParams ? params.get(name) : params[name];
  const value = Array.isArray(raw) ? raw[0] : raw;
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}

/** Every value of a parameter: a plain form sends one `priority` per ticked box. */
function readAll(params: Params, name: string): string[] {
  const raw = params instanceof URLSearchParams ? params.getAll(name) : params[name];
  return raw === undefined ? [] : Array.isArray(raw) ? raw : [raw];
}

export function parseBoardFilters(params: Params): BoardFilters {
  const assignee = read(params, 'assignee');
  const tag = read(params, 'tag');
  const q = read(params, 'q');
  const priority = readAll(params, 'priority')
    .flatMap((value) => value.split(','))
    .map((p) => p.trim())
    .filter((p): p is TaskPriority => (TASK_PRIORITIES as readonly string[]).includes(p));
  return {
    ...(assignee && /^[A-Za-z0-9_-]{1,64}$/.test(assignee) ? { assignee } : {}),
    priority: TASK_PRIORITIES.filter((p) => priority.includes(p)),
    ...(tag ? { tag: tag.slice(0, 50) } : {}),
    ...(q ? { q: q.slice(0, 200) } : {}),
  };
}

/** The query string of a view (no `?`), in a stable order; empty filters are left out. */
export function boardFiltersToQuery(filters: BoardFilters): string {
  const params = new URLSearchParams();
  if (filters.assignee) params.set('assignee', filters.assignee);
  if (filters.priority.length > 0) params.set('priority', filters.priority.join(','));
  if (filters.tag) params.set('tag', filters.tag);
  if (filters.q) params.set('q', filters.q);
  return params.toString();
}

export function hasFilters(filters: BoardFilters): boolean {
  return boardFiltersToQuery(filters) !== '';
}

/** The tasks API query for one page of a filtered board. */
export function taskListQuery(teamId: string, filters: BoardFilters, cursor?: string): string {
  const params = new URLSearchParams({ teamId, sort: 'position', limit: '100' });
  if (filters.assignee) params.set('assigneeId', filters.assignee);
  if (filters.priority.length > 0) params.set('priority', filters.priority.join(','));
  if (filters.tag) params.set('tag', filters.tag);
  if (filters.q) params.set('q', filters.q);
  if (cursor) params.set('cursor', cursor);
  return params.toString();
}

/** Whether a task belongs on the filtered board (live updates decide with this, as tasks would). */
export function matchesFilters(task: Task, filters: BoardFilters, currentUserId: string): boolean {
  if (filters.assignee) {
    const wanted = filters.assignee === 'me' ? currentUserId : filters.assignee;
    if (filters.assignee === 'none' ? task.assigneeId !== null : task.assigneeId !== wanted) {
      return false;
    }
  }
  if (filters.priority.length > 0 && !filters.priority.includes(task.priority)) return false;
  if (filters.tag && !task.tags.includes(filters.tag)) return false;
  if (filters.q) {
    const needle = filters.q.toLowerCase();
    const haystack = `${task.title}\n${task.description}`.toLowerCase();
    if (!haystack.includes(needle)) return false;
  }
  return true;
}
