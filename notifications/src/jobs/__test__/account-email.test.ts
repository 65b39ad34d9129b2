import { waitFor } from '@taskforge/common/testing';
import { buildAccountLink, buildUser } from '../../test/factories';
import { recordLogs, redisContents, storedDocuments } from '../../test/inspect';
import { mailWorkerPerFile } from '../../test/mail';
import { QUEUE_NAME } from '../notification-jobs';

const given = mailWorkerPerFile({ PUBLIC_URL: 'https://board.example.test' });
const { mailTo } = given;

afterEach(() => {
  given.smtp.failing = false;
  jest.restoreAllMocks();
});

/** The mail to the address, once its job (which held the token) has left the queue. */
async function sentOnce(address: string, jobId: string) {
  const [mail] = await waitFor(() => {
    const mails = mailTo(address);
    return mails.length > 0 ? mails : undefined;
  });
  const queue = given.ctx.services.jobs.queue;
  expect(queue.name).toBe(QUEUE_NAME);
  await waitFor(async () => (await queue.getJob(jobId)) === undefined);
  return mail!;
}

/** Nothing more arrives when the event comes again (a redelivery). */
async function redeliveryAddsNothing(publish: () => Promise<unknown>, address: string) {
  await publish();
  await given.ctx.settled();
  await new Promise((resolve) => setTimeout(resolve, 500));
  expect(mailTo(address)).toHaveLength(1);
}

/** What the job returned, from the queue's events (the job itself is gone by then). */
async function returnOf(jobId: string): Promise<unknown> {
  const events = await given.ctx.redis.xrange(
    `${given.ctx.redisPrefix}:bull:${QUEUE_NAME}:events`,
    '-',
    '+',
  );
  for (const [, fields] of events) {
    const event = new Map<string, string>();
    for (let i = 0; i < fields.length; i += 2) event.set(fields[i]!, fields[i + 1]!);
    if (event.get('event') === 'completed' && event.get('jobId') === jobId) {
      return JSON.parse(event.get('returnvalue')!);
    }
  }
  return undefined;
}

/** An expired link: its job runs, sends nothing and leaves. */
async function expiredSendsNothing(jobId: string, address: string) {
  await given.ctx.settled();
  await waitFor(async () => (await returnOf(jobId)) === 'expired');
  expect(await given.ctx.services.jobs.queue.getJob(jobId)).toBeUndefined();
  expect(mailTo(address)).toEqual([]);
}

describe('password reset email', () => {
  it('mails the link once, even when the event comes twice, and keeps no job holding it', async () => {
    const reset = buildAccountLink();
    await given.ctx.publish('password-reset.requested', reset);
    await given.ctx.settled();

    const mail = await sentOnce(reset.email, `password-reset-${reset.id}`);
    const link = `https://board.example.test/reset-password?token=${reset.token}`;
    expect(mail.subject).toBe('[TaskForge] Reset your password');
    expect(mail.text).toContain(link);
    expect(mail.html).toContain(`<a href="${link}">Choose a new password</a>`);
    expect(mail.text).toContain(`until ${reset.expiresAt.slice(11, 16)} UTC`);
    await redeliveryAddsNothing(
      () => given.ctx.publish('password-reset.requested', reset),
      reset.email,
    );
  });

  it('mails a reset queued before account mails shared one shape', async () => {
    const { id: resetId, userId, email, token, expiresAt } = buildAccountLink();
    const jobId = `password-reset-${resetId}`;
    await given.ctx.services.jobs.queue.add(
      'password-reset',
      { passwordReset: { resetId, userId, email, token, expiresAt } },
      { jobId, removeOnComplete: true },
    );

    const mail = await sentOnce(email, jobId);
    expect(mail.text).toContain(`https://board.example.test/reset-password?token=${token}`);
  });

  it('sends nothing for a link that expired before it could be sent', async () => {
    const reset = buildAccountLink({ minutesLeft: -1 });
    await given.ctx.publish('password-reset.requested', reset);
    await expiredSendsNothing(`password-reset-${reset.id}`, reset.email);
  });
});

describe('email verification email', () => {
  it('mails the link to the event’s address once, even when the event comes twice, whatever the user’s email settings', async () => {
    // A change of address: the replica holds the old one (and emails switched off).
    const user = buildUser({ notifications: { email: false } });
    await given.ctx.publish('user.created', user);
    const verification = buildAccountLink({
      userId: user.id,
      email: `new-${user.id}@example.test`,
      minutesLeft: 24 * 60,
    });
    await given.ctx.publish('email-verification.requested', verification);
    await given.ctx.settled();

    const mail = await sentOnce(verification.email, `email-verification-${verification.id}`);
    const link = `https://board.example.test/verify-email?token=${verification.token}`;
    const until = `${verification.expiresAt.slice(0, 10)} ${verification.expiresAt.slice(11, 16)} UTC`;
    expect(mail.subject).toBe('[TaskForge] Confirm your email address');
    expect(mail.text).toContain(`(the link works once, until ${until}):\n${link}\n`);
    expect(mail.html).toContain(
      `<a href="${link}">Confirm your email address</a> (the link works once, until ${until}).`,
    );
    for (const part of [mail.text, mail.html]) {
      expect(part).toContain('If you did not sign up or ask to change your address, ignore');
    }
    expect(mailTo(user.email)).toEqual([]);
    await redeliveryAddsNothing(
      () => given.ctx.publish('email-verification.requested', verification),
      verification.email,
    );
  });

  it('sends nothing for a link that expired before it could be sent', async () => {
    const verification = buildAccountLink({ minutesLeft: -1 });
    await given.ctx.publish('email-verification.requested', verification);
    await expiredSendsNothing(`email-verification-${verification.id}`, verification.email);
  });

  it('keeps the token in the job alone, logs none of it through a failed send, and keeps nothing once sent', async () => {
    const logs = recordLogs(given.ctx.logger);
    const verification = buildAccountLink();
    const jobId = `email-verification-${verification.id}`;
    given.smtp.failing = true;
    const refusedBefore = given.smtp.refused;
    await given.ctx.publish('email-verification.requested', verification);
    await given.ctx.settled();
    await waitFor(() => given.smtp.refused > refusedBefore);

    // Waiting for its retry, the job is the one key that holds the token.
    const holding = [...(await redisContents(given.ctx.redis, given.ctx.redisPrefix))]
      .filter(([, value]) => value.includes(verification.token))
      .map(([key]) => key);
    expect(holding).toEqual([`${given.ctx.redisPrefix}:bull:${QUEUE_NAME}:${jobId}`]);

    given.smtp.failing = false;
    await sentOnce(verification.email, jobId);
    const contents = [...(await redisContents(given.ctx.redis, given.ctx.redisPrefix)).values()];
    expect(contents.filter((value) => value.includes(verification.token))).toEqual([]);
    expect(await storedDocuments()).not.toContain(verification.token);
    // The failed attempt was logged, without the token.
    expect(logs.some((call) => call.includes('job failed; will retry'))).toBe(true);
    expect(logs.filter((call) => call.includes(verification.token))).toEqual([]);
  });
});
