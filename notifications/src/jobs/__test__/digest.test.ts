import { waitFor } from '@taskforge/common/testing';
import { EmailDelivery } from '../../models/email-delivery';
import { Notification } from '../../models/notification';
import { buildTask, buildUser } from '../../test/factories';
import { setupNotificationsTest, type NotificationsTestContext } from '../../test/setup';
import { startSmtpServer, type TestSmtp } from '../../test/smtp';

let ctx: NotificationsTestContext;
let smtp: TestSmtp;

beforeAll(async () => {
  smtp = await startSmtpServer();
  ctx = await setupNotificationsTest({
    worker: true,
    env: { SMTP_URL: smtp.url, PUBLIC_URL: 'https://board.example.test' },
  });
});
beforeEach(() => {
  smtp.received.length = 0;
  smtp.failing = false;
});
afterAll(async () => {
  await ctx.close();
  await smtp.close();
});

const mailTo = (address: string) =>
  smtp.received.filter((mail) => mail.to && !Array.isArray(mail.to) && mail.to.text === address);

/** Publishes `count` assignments to the user and waits until their emails wait for a digest. */
async function assign(userId: string, titles: string[]) {
  for (const title of titles) {
    await ctx.publish('task.created', buildTask({ assigneeId: userId, title }));
  }
  await ctx.settled();
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
    await ctx.publish('user.created', daily);
    await ctx.publish('user.created', weekly);
    await assign(daily.id, ['Write <docs>', 'Review']);
    await assign(weekly.id, ['Weekly thing']);

    expect(await ctx.services.runDigest('daily')).toEqual({ sent: 1, failed: 0 });

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
    expect(await ctx.services.runDigest('daily')).toEqual({ sent: 0, failed: 0 });
    await assign(daily.id, ['Later']);
    await ctx.services.runDigest('daily');
    const latest = mailTo(daily.email);
    expect(latest).toHaveLength(2);
    expect(latest[1]!.subject).toBe('[TaskForge] Your daily digest: 1 notification');
    expect(latest[1]!.text).toContain('Later');
    expect(latest[1]!.text).not.toContain('Review');

    await ctx.services.runDigest('weekly');
    expect(mailTo(weekly.email)).toHaveLength(1);
  });

  it('puts a digest back when the send fails, so the retried run sends it', async () => {
    const user = buildUser({ notifications: { frequency: 'hourly' } });
    await ctx.publish('user.created', user);
    await assign(user.id, ['One']);

    smtp.failing = true;
    await expect(ctx.services.runDigest('hourly')).rejects.toThrow(/could not be sent/);
    expect(await EmailDelivery.findOne({ recipientId: user.id }).lean()).toMatchObject({
      status: 'digest',
      claimId: null,
    });

    smtp.failing = false;
    expect(await ctx.services.runDigest('hourly')).toEqual({ sent: 1, failed: 0 });
    expect(mailTo(user.email)).toHaveLength(1);
  });

  it('skips what waits for a user who has since turned email off', async () => {
    const user = buildUser({ notifications: { frequency: 'hourly' } });
    await ctx.publish('user.created', user);
    await assign(user.id, ['Quiet']);
    await ctx.publish('user.updated', {
      ...user,
      version: 1,
      preferences: {
        ...user.preferences,
        notifications: { email: false, push: true, frequency: 'hourly' },
      },
    });
    await ctx.settled();

    await ctx.services.runDigest('hourly');
    expect(mailTo(user.email)).toEqual([]);
    expect(await EmailDelivery.findOne({ recipientId: user.id }).lean()).toMatchObject({
      status: 'skipped',
    });
  });

  it('runs from the BullMQ schedule too', async () => {
    const user = buildUser({ notifications: { frequency: 'weekly' } });
    await ctx.publish('user.created', user);
    await assign(user.id, ['Scheduled']);
    await ctx.services.jobs.queue.add('digest', { frequency: 'weekly' });
    await waitFor(() => mailTo(user.email).length === 1);

    const schedulers = await ctx.services.jobs
      .schedule(60_000)
      .then(() => ctx.services.jobs.queue.getJobSchedulers());
    expect(schedulers.map((s) => [s.key, s.pattern ?? s.every]).sort()).toEqual([
      ['digest-daily', '0 7 * * *'],
      ['digest-hourly', '0 * * * *'],
      ['digest-weekly', '0 7 * * 1'],
      ['due-soon', 60000],
    ]);
  });
});
