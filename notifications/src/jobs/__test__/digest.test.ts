import { waitFor } from '@taskforge/common/testing';
import { EmailDelivery } from '../../models/email-delivery';
import { Notification } from '../../models/notification';
import { buildTask, buildUser } from '../../test/factories';
import { mailWorkerPerFile } from '../../test/mail';

const given = mailWorkerPerFile({ PUBLIC_URL: 'https://board.example.test' });
const { mailTo } = given;

beforeEach(() => {
  given.smtp.received.length = 0;
  given.smtp.failing = false;
});

/** Publishes `count` assignments to the user and waits until their emails wait for a digest. */
async function assign(userId: string, titles: string[]) {
  for (const title of titles) {
    await given.ctx.publish('task.created', buildTask({ assigneeId: userId, title }));
  }
  await given.ctx.settled();
  await waitFor(
    async () =>
      (await EmailDelivery.countDocuments({ recipientId: userId, status: 'pending' })) === 0 &&
      (await Notification.countDocuments({ recipientId: userId })) >= titles.length,
  );
}

describe('digests', () => {
  it('sends one digest per user listing what arrived since the last one, then nothing twice', async () => {
    const daily = buildUser({ firstName: 'Fay', notifications: { frequency: 'daily' } });
    const weekly = buildUser({ notifications: { frequency: 'weekly' } });
    await given.ctx.publish('user.created', daily);
    await given.ctx.publish('user.created', weekly);
    await assign(daily.id, ['Write <docs>', 'Review']);
    await assign(weekly.id, ['Weekly thing']);

    expect(await given.ctx.services.runDigest('daily')).toEqual({ sent: 1, failed: 0 });

    const [digest, ...more] = mailTo(daily.email);
    expect(more).toEqual([]);
    expect(mailTo(weekly.email)).toEqual([]);
    expect(digest!.subject).toBe('[TaskForge] Your daily digest: 2 notifications');
    expect(digest!.text).toContain('Hi Fay,');
    expect(digest!.text!.indexOf('Write <docs>')).toBeLessThan(digest!.text!.indexOf('Review'));
    expect(digest!.html).toContain('Write &lt;docs&gt;');
    expect(digest!.html).toMatch(/href="https:\/\/board\.example\.test\/teams\/[^"]+\/tasks\//);
    expect(await EmailDelivery.countDocuments({ recipientId: daily.id, status: 'sent' })).toBe(2);

    // The next run lists only what arrived since.
    expect(await given.ctx.services.runDigest('daily')).toEqual({ sent: 0, failed: 0 });
    await assign(daily.id, ['Later']);
    await given.ctx.services.runDigest('daily');
    const latest = mailTo(daily.email);
    expect(latest).toHaveLength(2);
    expect(latest[1]!.subject).toBe('[TaskForge] Your daily digest: 1 notification');
    expect(latest[1]!.text).toContain('Later');
    expect(latest[1]!.text).not.toContain('Review');

    await given.ctx.services.runDigest('weekly');
    expect(mailTo(weekly.email)).toHaveLength(1);
  });

  it('puts a digest back when the send fails, so the retried run sends it', async () => {
    const user = buildUser({ notifications: { frequency: 'hourly' } });
    await given.ctx.publish('user.created', user);
    await assign(user.id, ['One']);

    given.smtp.failing = true;
    await expect(given.ctx.services.runDigest('hourly')).rejects.toThrow(/could not be sent/);
    expect(await EmailDelivery.findOne({ recipientId: user.id }).lean()).toMatchObject({
      status: 'digest',
      claimId: null,
    });

    given.smtp.failing = false;
    expect(await given.ctx.services.runDigest('hourly')).toEqual({ sent: 1, failed: 0 });
    expect(mailTo(user.email)).toHaveLength(1);
  });

  it('skips what waits for a user who has since turned email off', async () => {
    const user = buildUser({ notifications: { frequency: 'hourly' } });
    await given.ctx.publish('user.created', user);
    await assign(user.id, ['Quiet']);
    await given.ctx.publish('user.updated', {
      ...user,
      version: 1,
      preferences: {
        ...user.preferences,
        notifications: { email: false, push: true, frequency: 'hourly' },
      },
    });
    await given.ctx.settled();

    await given.ctx.services.runDigest('hourly');
    expect(mailTo(user.email)).toEqual([]);
    expect(await EmailDelivery.findOne({ recipientId: user.id }).lean()).toMatchObject({
      status: 'skipped',
    });
  });

  it('runs from the BullMQ schedule too', async () => {
    const user = buildUser({ notifications: { frequency: 'weekly' } });
    await given.ctx.publish('user.created', user);
    await assign(user.id, ['Scheduled']);
    await given.ctx.services.jobs.queue.add('digest', { frequency: 'weekly' });
    await waitFor(() => mailTo(user.email).length === 1);

    const schedulers = await given.ctx.services.jobs
      .schedule(60_000)
      .then(() => given.ctx.services.jobs.queue.getJobSchedulers());
    expect(schedulers.map((s) => [s.key, s.pattern ?? s.every]).sort()).toEqual([
      ['digest-daily', '0 7 * * *'],
      ['digest-hourly', '0 * * * *'],
      ['digest-weekly', '0 7 * * 1'],
      ['due-soon', 60000],
    ]);
  });
});
