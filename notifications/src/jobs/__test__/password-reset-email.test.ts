import { randomBytes } from 'node:crypto';
import { waitFor } from '@taskforge/common/testing';
import { setupNotificationsTest, type NotificationsTestContext } from '../../test/setup';
import { startSmtpServer, type TestSmtp } from '../../test/smtp';
import { QUEUE_NAME } from '../notification-jobs';

let ctx: NotificationsTestContext;
let smtp: TestSmtp;

beforeAll(async () => {
  smtp = await startSmtpServer();
  ctx = await setupNotificationsTest({
    worker: true,
    env: { SMTP_URL: smtp.url, PUBLIC_URL: 'https://board.example.test' },
  });
});
afterAll(async () => {
  await ctx.close();
  await smtp.close();
});

const mailTo = (address: string) =>
  smtp.received.filter((mail) => mail.to && !Array.isArray(mail.to) && mail.to.text === address);

function resetRequested(minutesLeft = 30) {
  const id = randomBytes(12).toString('hex');
  return {
    id,
    version: 0,
    userId: randomBytes(12).toString('hex'),
    email: `reset-${id}@example.test`,
    token: randomBytes(32).toString('base64url'),
    expiresAt: new Date(Date.now() + minutesLeft * 60_000).toISOString(),
  };
}

describe('password reset email', () => {
  it('mails the link once, even when the event comes twice, and keeps no job holding it', async () => {
    const reset = resetRequested();
    await ctx.publish('password-reset.requested', reset);
    await ctx.settled();

    const [mail] = await waitFor(() => {
      const mails = mailTo(reset.email);
      return mails.length > 0 ? mails : undefined;
    });
    const link = `https://board.example.test/reset-password?token=${reset.token}`;
    expect(mail!.subject).toBe('[TaskForge] Reset your password');
    expect(mail!.text).toContain(link);
    expect(mail!.html).toContain(`<a href="${link}">Choose a new password</a>`);
    expect(mail!.text).toContain(`until ${reset.expiresAt.slice(11, 16)} UTC`);
    // The job (which held the token) is gone once sent…
    const queue = ctx.services.jobs.queue;
    expect(queue.name).toBe(QUEUE_NAME);
    await waitFor(async () => (await queue.getJob(`password-reset-${reset.id}`)) === undefined);
    // …and the event coming again (a redelivery) sends nothing more.
    await ctx.publish('password-reset.requested', reset);
    await ctx.settled();
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(mailTo(reset.email)).toHaveLength(1);
  });

  it('sends nothing for a link that expired before it could be sent', async () => {
    const reset = resetRequested(-1);
    await ctx.publish('password-reset.requested', reset);
    await ctx.settled();
    const queue = ctx.services.jobs.queue;
    await waitFor(async () => (await queue.getJob(`password-reset-${reset.id}`)) === undefined);
    expect(mailTo(reset.email)).toEqual([]);
  });
});
