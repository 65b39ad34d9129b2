import { applyVersioned } from '@taskforge/common';
import { waitFor } from '@taskforge/common/testing';
import { Types } from 'mongoose';
import request from 'supertest';
import { sendAccountEmail } from '../../../jobs/send-account-email';
import { EmailDelivery } from '../../../models/email-delivery';
import { Notification } from '../../../models/notification';
import { TOMBSTONE_FIELDS, UserReplica } from '../../../replicas/user';
import {
  buildAccountLink,
  buildComment,
  buildTask,
  buildTeam,
  buildUser,
  signIn,
} from '../../../test/factories';
import { inboxOf, liveMessages } from '../../../test/inspect';
import { mailWorkerPerFile } from '../../../test/mail';
import { listen, openStream } from '../../../test/sse';

// Failed sends wait long enough between attempts for a test to find their jobs queued.
const given = mailWorkerPerFile({ EMAIL_BACKOFF_MS: '1500' });
const { mailTo } = given;

beforeEach(async () => {
  given.smtp.failing = false;
  await given.ctx.services.jobs.queue.resume();
});

const queue = () => given.ctx.services.jobs.queue;

/** A user at version 1, as auth would have them after one user.updated. */
async function createUser(overrides: Parameters<typeof buildUser>[0] = {}) {
  const user = buildUser(overrides);
  await given.ctx.publish('user.created', user);
  const updated = { ...user, version: 1 };
  await given.ctx.publish('user.updated', updated);
  await given.ctx.settled();
  return updated;
}

const deleted = (user: { id: string; version: number }) => ({
  id: user.id,
  version: user.version + 1,
});

const tombstoneOf = (user: { id: string; version: number }) => ({
  _id: user.id,
  version: user.version + 1,
  email: null,
  firstName: null,
  lastName: null,
  emailEnabled: null,
  frequency: null,
  sessionVersion: 0,
  deleted: true,
});

/** Everything the service holds for the user as recipient, for before/after comparisons. */
async function heldFor(userId: string) {
  return {
    notifications: await Notification.countDocuments({ recipientId: userId }),
    deliveries: await EmailDelivery.countDocuments({ recipientId: userId }),
    live: (await liveMessages(given.ctx.redis, given.ctx.redisPrefix)).filter(
      (m) => m.type !== 'board' && m.type !== 'account-deleted' && m.userId === userId,
    ).length,
  };
}

describe('user.deleted', () => {
  it('leaves a tombstone and forgets the inbox, deliveries, digest items and every queued mail', async () => {
    const ada = await createUser({
      firstName: 'Ada',
      lastName: 'Lovelace',
      notifications: { frequency: 'daily' },
    });
    // Two items wait for Ada's daily digest.
    await given.ctx.publish('task.created', buildTask({ assigneeId: ada.id, title: 'Digest one' }));
    await given.ctx.publish('task.created', buildTask({ assigneeId: ada.id, title: 'Digest two' }));
    await waitFor(
      async () =>
        (await EmailDelivery.countDocuments({ recipientId: ada.id, status: 'digest' })) === 2,
    );
    // Then she switches to immediate emails while the SMTP server refuses everything: the next
    // notification's email job, a password reset mail and the verification of the new address
    // she asked for wait in the queue for a retry.
    const immediate = {
      ...ada,
      version: 2,
      preferences: {
        ...ada.preferences,
        notifications: { ...ada.preferences.notifications, frequency: 'immediate' as const },
      },
    };
    await given.ctx.publish('user.updated', immediate);
    await given.ctx.settled();
    given.smtp.failing = true;
    const refusedBefore = given.smtp.refused;
    await given.ctx.publish('task.created', buildTask({ assigneeId: ada.id, title: 'Immediate' }));
    const reset = buildAccountLink({ userId: ada.id, email: ada.email });
    await given.ctx.publish('password-reset.requested', reset);
    const verification = buildAccountLink({ userId: ada.id, email: `new-${ada.email}` });
    await given.ctx.publish('email-verification.requested', verification);
    await given.ctx.settled();
    await waitFor(() => given.smtp.refused >= refusedBefore + 3);
    const [pending] = await EmailDelivery.find({ recipientId: ada.id, status: 'pending' }).lean();
    const jobIds = [
      `email-${pending!._id.toHexString()}`,
      `password-reset-${reset.id}`,
      `email-verification-${verification.id}`,
    ];
    for (const jobId of jobIds) expect(await queue().getJob(jobId)).toBeDefined();
    // Her sets of account mail jobs, which find them.
    const sets = ['password-resets', 'email-verifications'].map(
      (kind) => `${given.ctx.redisPrefix}:bull:${kind}:{${ada.id}}`,
    );
    expect(await given.ctx.redis.exists(...sets)).toBe(2);
    expect(await given.ctx.services.counter.get(ada.id)).toBe(3);
    expect(await heldFor(ada.id)).toMatchObject({ notifications: 3, deliveries: 3 });

    await given.ctx.publish('user.deleted', deleted(immediate));
    await given.ctx.settled();

    expect(await UserReplica.findById(ada.id).lean()).toEqual(tombstoneOf(immediate));
    expect(await inboxOf(ada.id)).toEqual([]);
    expect(await heldFor(ada.id)).toEqual({ notifications: 0, deliveries: 0, live: 0 });
    for (const jobId of jobIds) expect(await queue().getJob(jobId)).toBeUndefined();
    expect(await given.ctx.services.counter.get(ada.id)).toBe(0);
    expect(await given.ctx.redis.exists(...sets)).toBe(0);

    // Nothing reaches her addresses afterwards: no digest, no retried email, no link.
    given.smtp.failing = false;
    expect(await given.ctx.services.runDigest('daily')).toEqual({ sent: 0, failed: 0 });
    await new Promise((resolve) => setTimeout(resolve, 2000));
    expect(mailTo(ada.email)).toEqual([]);
    expect(mailTo(verification.email)).toEqual([]);
  });

  it('takes the user’s name out of other users’ notifications, stored and live', async () => {
    const ada = await createUser({ firstName: 'Ada', lastName: 'Lovelace' });
    const bob = await createUser({ firstName: 'Bob' });
    const task = buildTask({ creatorId: ada.id, assigneeId: bob.id, title: 'Ada’s task' });
    await given.ctx.publish('task.created', task, { actorId: ada.id });
    await given.ctx.publish('comment.created', buildComment(task, { authorId: ada.id }), {
      actorId: ada.id,
    });
    await given.ctx.settled();
    // One stored by an older version, before the name was kept apart.
    await Notification.collection.insertOne({
      _id: new Types.ObjectId(),
      recipientId: bob.id,
      kind: 'member.added',
      sourceEventId: `legacy-${ada.id}`,
      actorId: ada.id,
      teamId: 'team-1',
      taskId: null,
      title: 'Ada Lovelace added you to Platform as member',
      link: '/teams/team-1',
      read: false,
      readAt: null,
      createdAt: new Date(),
    });
    expect((await inboxOf(bob.id)).map((n) => n.title)).toEqual(
      expect.arrayContaining([
        'Ada Lovelace assigned you “Ada’s task”',
        'Ada Lovelace commented on “Ada’s task”',
      ]),
    );

    await given.ctx.publish('user.deleted', deleted(ada));
    await given.ctx.settled();

    const titles = (await inboxOf(bob.id)).map((n) => n.title).sort();
    expect(titles).toEqual([
      'Someone added you to Platform as member',
      'Someone assigned you “Ada’s task”',
      'Someone commented on “Ada’s task”',
    ]);
    expect(JSON.stringify(await Notification.find({ recipientId: bob.id }).lean())).not.toMatch(
      /Lovelace/,
    );
    const live = await liveMessages(given.ctx.redis, given.ctx.redisPrefix);
    expect(JSON.stringify(live)).not.toMatch(/Lovelace/);
    // The task's title is not hers: the rest of the text stays.
    const me = signIn(bob.id);
    const res = await request(given.app).get('/api/notifications').set('Cookie', me.cookie);
    expect(res.body.map((n: { title: string }) => n.title).sort()).toEqual(titles);
  });

  it('finishes the forgetting when redelivered after a crash, and a redelivery changes nothing', async () => {
    const ada = await createUser();
    await given.ctx.publish('task.created', buildTask({ assigneeId: ada.id }));
    await given.ctx.publish('task.created', buildTask({ assigneeId: ada.id }));
    await given.ctx.settled();
    await waitFor(
      async () =>
        (await EmailDelivery.countDocuments({ recipientId: ada.id, status: 'sent' })) === 2,
    );
    // A first delivery wrote the tombstone and died before forgetting anything.
    expect(await applyVersioned(UserReplica, deleted(ada), TOMBSTONE_FIELDS)).toBe('apply');
    expect(await heldFor(ada.id)).toMatchObject({ notifications: 2, deliveries: 2 });

    const event = await given.ctx.publish('user.deleted', deleted(ada));
    await given.ctx.settled();
    expect(await heldFor(ada.id)).toEqual({ notifications: 0, deliveries: 0, live: 0 });
    expect(await UserReplica.findById(ada.id).lean()).toEqual(tombstoneOf(ada));

    // The same event once more (a redelivery): acked, nothing changes.
    const liveBefore = (await liveMessages(given.ctx.redis, given.ctx.redisPrefix)).length;
    await given.ctx.bus.js.publish(event.subject, JSON.stringify(event));
    await given.ctx.settled();
    expect(await UserReplica.findById(ada.id).lean()).toEqual(tombstoneOf(ada));
    expect(await heldFor(ada.id)).toEqual({ notifications: 0, deliveries: 0, live: 0 });
    // Only one more account-deleted message for the pods.
    const liveAfter = await liveMessages(given.ctx.redis, given.ctx.redisPrefix);
    expect(liveAfter.slice(liveBefore)).toEqual([{ type: 'account-deleted', userId: ada.id }]);
  });

  it('waits for the user’s earlier versions before it deletes', async () => {
    const user = buildUser({ firstName: 'Early' });
    await given.ctx.publish('user.deleted', { id: user.id, version: 2 });
    await given.ctx.publish('user.created', user);
    await given.ctx.publish('user.updated', { ...user, version: 1 });
    await given.ctx.settled();
    expect(await UserReplica.findById(user.id).lean()).toEqual(
      tombstoneOf({ ...user, version: 1 }),
    );
  });

  it('never notifies, emails or names a deleted user afterwards, and no user.* event revives them', async () => {
    const ada = await createUser({ firstName: 'Ada' });
    const bob = await createUser({ firstName: 'Bob' });
    await given.ctx.publish('user.deleted', deleted(ada));
    await given.ctx.settled();
    // Held, so that a job queued for her would still be there to find.
    await queue().pause();

    const team = buildTeam({ name: 'Platform' });
    await given.ctx.publish('team.created', team);
    const task = buildTask({ teamId: team.id, assigneeId: ada.id, creatorId: ada.id });
    await given.ctx.publish('task.created', task, { actorId: bob.id });
    await given.ctx.publish(
      'member.added',
      { teamId: team.id, userId: ada.id, role: 'member', version: 0 },
      { actorId: bob.id },
    );
    await given.ctx.publish('comment.created', buildComment(task, { mentionedUsers: [ada.id] }));
    const reset = buildAccountLink({ userId: ada.id, email: ada.email });
    await given.ctx.publish('password-reset.requested', reset);
    const verification = buildAccountLink({ userId: ada.id, email: 'changed@example.test' });
    await given.ctx.publish('email-verification.requested', verification);
    // Ada as the actor (an event from before her deletion, arriving late): Bob hears "Someone".
    await given.ctx.publish('task.created', buildTask({ assigneeId: bob.id, title: 'Late' }), {
      actorId: ada.id,
    });
    // Late and out-of-line user events: neither writes her back.
    await given.ctx.publish('user.updated', { ...ada, version: 1, email: 'late@example.test' });
    await given.ctx.publish('user.updated', { ...ada, version: 3, email: 'newer@example.test' });
    await given.ctx.publish('user.created', { ...ada, version: 0 });
    await given.ctx.settled();

    expect(await UserReplica.findById(ada.id).lean()).toEqual(tombstoneOf(ada));
    expect(await heldFor(ada.id)).toEqual({ notifications: 0, deliveries: 0, live: 0 });
    expect((await inboxOf(bob.id)).map((n) => n.title)).toEqual(['Someone assigned you “Late”']);
    expect(await queue().getJob(`password-reset-${reset.id}`)).toBeUndefined();
    expect(await queue().getJob(`email-verification-${verification.id}`)).toBeUndefined();
    await queue().resume();
    await new Promise((resolve) => setTimeout(resolve, 500));
    const addresses = [ada.email, 'late@example.test', 'newer@example.test', verification.email];
    for (const address of addresses) {
      expect(mailTo(address)).toEqual([]);
    }
  });

  it('drops or unnames what another pod writes from a name it read just before the deletion', async () => {
    const ada = await createUser({ firstName: 'Ada', lastName: 'Lovelace' });
    const bob = await createUser();
    await given.ctx.publish('user.deleted', deleted(ada));
    await given.ctx.settled();

    // As a listener that read Ada's name (and her replica) before the tombstone was written.
    const title = 'Ada Lovelace assigned you “Raced”';
    const about = { kind: 'task.assigned' as const, title, actorName: 'Ada Lovelace', link: '/' };
    await given.ctx.services.notifier.notify({ eventId: `race-${ada.id}`, actorId: ada.id }, [
      { ...about, recipientId: bob.id },
    ]);
    await given.ctx.services.notifier.notify({ eventId: `race-${ada.id}` }, [
      { ...about, recipientId: ada.id },
    ]);

    expect((await inboxOf(bob.id)).map((n) => n.title)).toEqual(['Someone assigned you “Raced”']);
    expect(await heldFor(ada.id)).toEqual({ notifications: 0, deliveries: 0, live: 0 });
    expect(
      JSON.stringify(await liveMessages(given.ctx.redis, given.ctx.redisPrefix)),
    ).not.toContain(title);
    const [live] = (await liveMessages(given.ctx.redis, given.ctx.redisPrefix)).filter(
      (m) => m.type === 'notification' && m.userId === bob.id,
    );
    expect(live).toMatchObject({ data: { title: 'Someone assigned you “Raced”' } });
  });

  it('sends nothing from a job that runs after the account was deleted', async () => {
    const ada = await createUser({ notifications: { frequency: 'immediate' } });
    const digest = await createUser({ notifications: { frequency: 'hourly' } });
    given.smtp.failing = true;
    const refusedBefore = given.smtp.refused;
    await given.ctx.publish('task.created', buildTask({ assigneeId: ada.id }));
    await given.ctx.publish('task.created', buildTask({ assigneeId: digest.id }));
    await given.ctx.settled();
    // Ada's own email was refused once (not just any: jobs of earlier tests may still retry).
    const adaDelivery = await waitFor(() => EmailDelivery.findOne({ recipientId: ada.id }).lean());
    await waitFor(
      async () =>
        ((await queue().getJob(`email-${String(adaDelivery._id)}`))?.attemptsMade ?? 0) >= 1,
    );
    expect(given.smtp.refused).toBeGreaterThan(refusedBefore);
    await waitFor(async () => EmailDelivery.exists({ recipientId: digest.id, status: 'digest' }));

    // Deleted between two attempts (the replica only: user.deleted's forgetting has not run).
    // Held meanwhile, and the retry brought forward after, so the test does not hang on the
    // backoff's timing: an attempt that failed while it was held waits twice as long next time.
    await queue().pause();
    await applyVersioned(UserReplica, deleted(ada), TOMBSTONE_FIELDS);
    await applyVersioned(UserReplica, deleted(digest), TOMBSTONE_FIELDS);
    given.smtp.failing = false;
    await queue().resume();
    for (const job of await queue().getDelayed()) await job.promote();

    // The retried email job drops its delivery instead of sending.
    await waitFor(async () => !(await EmailDelivery.exists({ recipientId: ada.id })), {
      timeoutMs: 8000,
    });
    expect(await given.ctx.services.runDigest('hourly')).toEqual({ sent: 0, failed: 0 });
    expect(await EmailDelivery.countDocuments({ recipientId: digest.id })).toBe(0);
    for (const kind of ['password-reset', 'email-verification'] as const) {
      const { id, email, token, expiresAt } = buildAccountLink({ email: ada.email });
      const mail = { kind, id, userId: ada.id, email, token, expiresAt };
      expect(await sendAccountEmail(given.ctx.services.email, mail)).toBe('account-deleted');
    }
    expect(mailTo(ada.email)).toEqual([]);
    expect(mailTo(digest.email)).toEqual([]);
  });

  describe('through HTTP', () => {
    it('refuses the old session cookie with 401 and answers nothing of the inbox', async () => {
      const ada = await createUser();
      const me = signIn(ada.id);
      await given.ctx.publish('task.created', buildTask({ assigneeId: ada.id }));
      await given.ctx.settled();
      const inbox = await request(given.app).get('/api/notifications').set('Cookie', me.cookie);
      expect(inbox.status).toBe(200);
      expect(inbox.body).toHaveLength(1);

      await given.ctx.publish('user.deleted', deleted(ada));
      await given.ctx.settled();

      // Within the second this process trusts a session version it read.
      const status = (path: string) =>
        request(given.app)
          .get(path)
          .set('Cookie', me.cookie)
          .then((res) => res.status);
      await waitFor(async () => (await status('/api/notifications')) === 401, { timeoutMs: 5000 });
      expect(await status('/api/notifications/unread-count')).toBe(401);
      const readAll = await request(given.app)
        .post('/api/notifications/read-all')
        .set('Cookie', me.cookie);
      expect(readAll.status).toBe(401);
      expect(readAll.body).toEqual({
        errors: [expect.objectContaining({ message: expect.any(String) })],
      });
      expect(await inboxOf(ada.id)).toEqual([]);
    });

    it('ends the user’s open streams on every pod, and refuses a new one', async () => {
      const ada = await createUser();
      const bob = await createUser();
      const other = await given.ctx.startInstance();
      const servers = [await listen(given.app), await listen(other.app)];
      try {
        const open = async (user: { id: string }, url: string) => {
          const res = await openStream(url, { Cookie: signIn(user.id).cookie });
          expect(res.status).toBe(200);
          return res.client!;
        };
        const [first, second] = [
          await open(ada, servers[0]!.url),
          await open(ada, servers[1]!.url),
        ];
        const bystander = await open(bob, servers[0]!.url);
        const ended = (client: typeof first) =>
          new Promise<void>((resolve) => client.response.once('end', () => resolve()));
        const bothEnded = Promise.all([ended(first), ended(second)]);
        expect(given.ctx.services.hub.openStreamsOf(ada.id)).toBe(1);
        expect(other.services.hub.openStreamsOf(ada.id)).toBe(1);

        await given.ctx.publish('user.deleted', deleted(ada));
        await given.ctx.settled();
        await bothEnded;
        await waitFor(
          () =>
            given.ctx.services.hub.openStreamsOf(ada.id) === 0 &&
            other.services.hub.openStreamsOf(ada.id) === 0,
        );
        // No message was written for the deletion itself; Bob's stream goes on.
        expect(first.messages).toEqual([]);
        expect(given.ctx.services.hub.openStreamsOf(bob.id)).toBe(1);
        expect(bystander.response.readableEnded).toBe(false);
        bystander.close();

        // The browser's reconnection is refused once the session check has seen the tombstone.
        await waitFor(
          async () =>
            (await openStream(servers[0]!.url, { Cookie: signIn(ada.id).cookie })).status === 401,
          { timeoutMs: 5000 },
        );
      } finally {
        for (const server of servers) await server.close();
      }
    });
  });
});
