import { setTimeout as sleep } from 'node:timers/promises';
import {
  DeliverPolicy,
  jetstream,
  JetStreamApiError,
  jetstreamManager,
  type JetStreamClient,
} from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { EVENT_STREAM, type EventData, type Subject } from '@taskforge/common';

/** teams' durable consumer that keeps its user directory (teams/src/events/listeners.ts). */
const TEAMS_DIRECTORY_DURABLE = 'teams';
const TIMEOUT_MS = 30_000;

/** One subject's events on the stream from `fromSeq` on, oldest first, with their sequences. */
async function readSubject<S extends Subject>(
  js: JetStreamClient,
  subject: S,
  fromSeq: number,
): Promise<Array<{ seq: number; data: EventData<S> }>> {
  // An ordered consumer filtered on the subject: the server skips every other event, however
  // long the stream a kept local stack has grown.
  const consumer = await js.consumers.get(EVENT_STREAM, {
    filter_subjects: [subject],
    deliver_policy: DeliverPolicy.StartSequence,
    opt_start_seq: fromSeq,
  });
  try {
    const pending = (await consumer.info()).num_pending;
    const found: Array<{ seq: number; data: EventData<S> }> = [];
    if (pending === 0) return found;
    for await (const msg of await consumer.fetch({ max_messages: pending, expires: 10_000 })) {
      found.push({ seq: msg.seq, data: msg.json<{ data: EventData<S> }>().data });
    }
    return found;
  } finally {
    await consumer.delete().catch(() => undefined);
  }
}

/**
 * Verifies the accounts' addresses as their owners would, by opening the newest link mailed to
 * each: the token from its `email-verification.requested` on the stream at `natsUrl`, confirmed
 * through the API at `apiUrl` (auth or the gateway). Resolves once teams' user directory (where
 * teams runs on that stream) has applied the `user.updated` saying so, so the accounts can be
 * added to a team by email from then on.
 */
export async function verifyEmails(
  apiUrl: string,
  natsUrl: string,
  userIds: readonly string[],
): Promise<void> {
  if (userIds.length === 0) return;
  const nc = await connect({ servers: natsUrl });
  try {
    const js = jetstream(nc);
    const deadline = Date.now() + TIMEOUT_MS;
    const outOfTime = (waitingFor: string) => {
      if (Date.now() > deadline) throw new Error(`verifyEmails: ${waitingFor}`);
    };

    // The stream sequence of the request each confirmed token came from.
    const confirmed = new Map<string, number>();
    // Each token is sent once: confirmations are limited per address, and one that did not work
    // will not.
    const tried = new Set<string>();
    for (;;) {
      const latest = new Map<string, { seq: number; token: string }>();
      for (const { seq, data } of await readSubject(js, 'email-verification.requested', 1)) {
        if (userIds.includes(data.userId)) latest.set(data.userId, { seq, token: data.token });
      }
      for (const [userId, { seq, token }] of latest) {
        if (confirmed.has(userId) || tried.has(token)) continue;
        tried.add(token);
        const res = await fetch(new URL('/api/users/email-verification/confirm', apiUrl), {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ token }),
        });
        if (res.status === 204) confirmed.set(userId, seq);
        // 400: a newer link replaced this one, and its event is not on the stream yet.
        else if (res.status !== 400) {
          throw new Error(`verifyEmails: confirm answered ${res.status}: ${await res.text()}`);
        }
      }
      if (confirmed.size === new Set(userIds).size) break;
      // auth's outbox relay publishes the request just after the sign-up (or resend) answered.
      outOfTime(
        `no link that works for ${userIds.filter((id) => !confirmed.has(id)).join(', ')} ` +
          '(verified already, or the link expired?)',
      );
      await sleep(100);
    }

    // Each confirmation publishes a user.updated with emailVerified, after its request.
    const from = Math.min(...confirmed.values());
    let lastSeq = 0;
    for (;;) {
      const verified = new Map<string, number>();
      for (const { seq, data } of await readSubject(js, 'user.updated', from)) {
        if (data.emailVerified && seq > (confirmed.get(data.id) ?? Infinity)) {
          verified.set(data.id, seq);
        }
      }
      if (verified.size === confirmed.size) {
        lastSeq = Math.max(...verified.values());
        break;
      }
      outOfTime('auth did not publish every user.updated of the confirmations');
      await sleep(100);
    }

    const jsm = await jetstreamManager(nc);
    for (;;) {
      let applied: number;
      try {
        applied = (await jsm.consumers.info(EVENT_STREAM, TEAMS_DIRECTORY_DURABLE)).ack_floor
          .stream_seq;
      } catch (err) {
        // teams does not run on this stream: nothing else refuses an unverified address.
        if (err instanceof JetStreamApiError && err.status === 404) return;
        throw err;
      }
      if (applied >= lastSeq) return;
      outOfTime(`teams' directory has not applied user.updated #${lastSeq}`);
      await sleep(100);
    }
  } finally {
    await nc.close();
  }
}
