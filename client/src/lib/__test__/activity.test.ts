import { describeActivity } from '../activity';
import type { Activity } from '../types';

const entry = (overrides: Partial<Activity>): Activity => ({
  id: 'e1',
  type: 'task.updated',
  actorId: 'u1',
  at: '2026-11-22T10:00:00.000Z',
  changes: [],
  ...overrides,
});
const nameOf = (userId: string) => (userId === 'u2' ? 'Bob Builder' : 'someone');

describe('activity in words', () => {
  it('describes each changed field with people, labels and values', () => {
    const changes = [
      { field: 'status', from: 'todo', to: 'in_progress' },
      { field: 'assigneeId', from: null, to: 'u2' },
      { field: 'tags', from: [], to: ['launch', 'docs'] },
      { field: 'customFields', from: {}, to: { estimate: 3 } },
      { field: 'description', from: 'a', to: 'b' },
      { field: 'attachments', from: 0, to: 1 },
    ];
    expect(describeActivity(entry({ changes }), nameOf)).toEqual([
      'changed the status from To do to In progress',
      'changed the assignee from nothing to Bob Builder',
      'changed the tags from none to launch, docs',
      'changed custom fields from none to estimate: 3',
      'changed the description',
    ]);
  });

  it('describes creations, comments and attachments', () => {
    expect(describeActivity(entry({ type: 'task.created' }), nameOf)).toEqual(['created the task']);
    expect(describeActivity(entry({ type: 'comment.created' }), nameOf)).toEqual(['commented']);
    expect(
      describeActivity(
        entry({ type: 'attachment.added', attachment: { id: 'a', name: 'plan.txt' } }),
        nameOf,
      ),
    ).toEqual(['attached plan.txt']);
  });
});
