import type { Task } from '../types';

let next = 0;

/** A task as tasks returns it; override what the test is about. */
export function buildTask(overrides: Partial<Task> = {}): Task {
  next += 1;
  return {
    id: next.toString(16).padStart(24, '0'),
    teamId: 'team-1',
    title: `Task ${next}`,
    description: '',
    status: 'todo',
    priority: 'medium',
    assigneeId: null,
    creatorId: 'user-1',
    dueDate: null,
    tags: [],
    customFields: {},
    ticketId: null,
    attachments: [],
    position: next,
    createdAt: '2026-11-01T10:00:00.000Z',
    updatedAt: '2026-11-01T10:00:00.000Z',
    completedAt: null,
    version: 0,
    ...overrides,
  };
}
