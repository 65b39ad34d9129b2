import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { traceContextOf } from '../tracing/context';
import { eventCatalogue, type EventData, type Subject } from './catalogue';

export interface EventMetadata {
  actorId?: string;
  requestId?: string;
  ip?: string;
  userAgent?: string;
  /**
   * The W3C trace context of the request (or event) that recorded the event, so the publish and
   * the consumers in other services continue its trace; absent with tracing off.
   */
  traceparent?: string;
  tracestate?: string;
}

export interface EventEnvelope<S extends Subject = Subject> {
  id: string;
  subject: S;
  schemaVersion: number;
  occurredAt: string;
  data: EventData<S>;
  metadata: EventMetadata;
}

export const envelopeSchema = z.object({
  id: z.string().uuid(),
  subject: z.string().min(1),
  schemaVersion: z.number().int().positive(),
  occurredAt: z.iso.datetime({ offset: true }),
  data: z.unknown(),
  metadata: z
    .object({
      actorId: z.string().max(64),
      requestId: z.string().max(128),
      ip: z.string().max(64),
      userAgent: z.string().max(512),
      traceparent: z.string().max(64),
      tracestate: z.string().max(512),
    })
    .partial()
    .default({}),
});

/**
 * Builds an event, checking its data against the catalogue so a bad event never gets stored.
 * It keeps the active trace context, which the outbox stores with it.
 */
export function buildEvent<S extends Subject>(
  subject: S,
  data: EventData<S>,
  metadata: EventMetadata = {},
): EventEnvelope<S> {
  const { schema, schemaVersion } = eventCatalogue[subject];
  const parsed = schema.parse(data) as EventData<S>;
  const cleanMetadata = Object.fromEntries(
    Object.entries({ ...traceContextOf(), ...metadata }).filter(
      ([, value]) => value !== undefined && value !== '',
    ),
  ) as EventMetadata;
  return {
    id: randomUUID(),
    subject,
    schemaVersion,
    occurredAt: new Date().toISOString(),
    data: parsed,
    metadata: cleanMetadata,
  };
}

/** What a request contributes to the events it causes: who, from where, which request. */
export function eventMetadataFrom(req: {
  currentUser?: { id: string };
  id?: unknown;
  ip?: string | undefined;
  get(name: string): string | undefined;
}): EventMetadata {
  return {
    actorId: req.currentUser?.id,
    requestId: typeof req.id === 'string' ? req.id : undefined,
    ip: req.ip,
    userAgent: req.get('user-agent')?.slice(0, 512),
  };
}
