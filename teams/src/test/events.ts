import { randomBytes, randomUUID } from 'node:crypto';
import {
  buildEvent,
  EventPublisher,
  type EventBus,
  type EventData,
  type EventEnvelope,
  type EventMetadata,
  type Subject,
} from '@taskforge/common';

const hex = (bytes = 12) => randomBytes(bytes).toString('hex');

/** user.* data as auth publishes it. */
export function userData(
  overrides: Partial<EventData<'user.updated'>> = {},
): EventData<'user.updated'> {
  return {
    id: hex(),
    version: 0,
    email: `user-${hex(4)}@example.test`,
    firstName: 'Grace',
    lastName: 'Hopper',
    avatarUrl: null,
    preferences: {
      theme: 'system',
      notifications: { email: true, push: true, frequency: 'immediate' },
    },
    ...overrides,
  };
}

/** Valid data for every subject of the catalogue, about the given team where it has one. */
export function sampleData(subject: Subject, teamId: string): EventData<Subject> {
  const task = {
    id: hex(),
    version: 0,
    teamId,
    title: 'Write the docs',
    status: 'todo' as const,
    priority: 'high' as const,
    assigneeId: null,
    creatorId: hex(),
  };
  const permissions = { admin: ['member.manage' as const], member: [], guest: [] };
  const comment = {
    id: hex(),
    version: 0,
    taskId: task.id,
    teamId,
    taskTitle: task.title,
    taskCreatorId: task.creatorId,
    taskAssigneeId: null,
    authorId: hex(),
    content: '=HYPERLINK("http://evil.test")',
    mentionedUsers: [],
  };
  const attachment = {
    id: hex(),
    taskId: task.id,
    teamId,
    version: 0,
    name: 'spec.pdf',
    size: 1024,
    mimetype: 'application/pdf',
    uploadedBy: hex(),
  };
  const samples: { [S in Subject]: EventData<S> } = {
    'user.created': userData(),
    'user.updated': userData({ version: 1 }),
    'user.deleted': { id: hex(), version: 2 },
    'ticket.created': { id: hex(), version: 0, title: 'Gig', price: 10, userId: hex() },
    'ticket.updated': { id: hex(), version: 1, title: 'Gig', price: 12, userId: hex() },
    'ticket.deleted': { id: hex(), version: 2, title: 'Gig', price: 12, userId: hex() },
    'team.created': { id: teamId, version: 0, name: 'T', createdBy: hex(), permissions },
    'team.updated': {
      id: teamId,
      version: 1,
      name: 'T2',
      createdBy: hex(),
      permissions,
      previous: { name: 'T' },
    },
    'team.deleted': { id: teamId, version: 2, name: 'T2' },
    'member.added': { teamId, userId: 'u1', role: 'member', version: 0 },
    'member.updated': { teamId, userId: 'u1', role: 'guest', version: 1, previousRole: 'member' },
    'member.removed': { teamId, userId: 'u1', role: 'guest', version: 2 },
    'task.created': task,
    'task.updated': {
      ...task,
      version: 1,
      status: 'done',
      changes: { status: { from: 'todo', to: 'done' } },
    },
    'task.deleted': { id: task.id, version: 2, teamId, title: task.title },
    'comment.created': comment,
    'comment.updated': { ...comment, version: 1, content: 'Edited' },
    'comment.deleted': { ...comment, version: 2 },
    'attachment.added': attachment,
    'attachment.removed': { ...attachment, version: 1 },
    'password-reset.requested': {
      id: hex(),
      version: 0,
      userId: hex(),
      email: 'someone@example.test',
      token: 'a-secret-token-of-the-reset-link-0123456789',
      expiresAt: new Date(Date.now() + 30 * 60_000).toISOString(),
    },
    'email-verification.requested': {
      id: hex(),
      version: 0,
      userId: hex(),
      email: 'to-verify@example.test',
      token: 'a-secret-token-of-the-verification-link-0123',
      expiresAt: new Date(Date.now() + 24 * 60 * 60_000).toISOString(),
    },
  };
  return samples[subject];
}

export const requestMetadata = (actorId: string): EventMetadata => ({
  actorId,
  requestId: randomUUID(),
  ip: '203.0.113.7',
  userAgent: 'Mozilla/5.0 (audit test)',
});

/** Publishes events as their owners would (the event id as Nats-Msg-Id). */
export async function publish(bus: EventBus, ...events: EventEnvelope[]): Promise<void> {
  const publisher = new EventPublisher(bus.js);
  for (const event of events) await publisher.publish(event);
}

export { buildEvent };
