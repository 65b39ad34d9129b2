import { waitFor } from '@taskforge/common/testing';
import request from 'supertest';
import { EmailDelivery } from '../../models/email-delivery';
import { Notification } from '../../models/notification';
import { buildTask, buildUser, signIn } from '../../test/factories';
import { mailWorkerPerFile } from '../../test/mail';

const given = mailWorkerPerFile({ PUBLIC_URL: 'https://board.example.test' });
const { mailTo } = given;

async function deliveryFor(recipientId: string) {
  const notification = await waitFor(() => Notification.findOne({ recipientId }).lean());
  return waitFor(async () => {
    const delivery = await EmailDelivery.findById(notification._id).lean();
    return delivery && delivery.status !== 'pending' ? delivery : undefined;
  });
}

describe('immediate email', () => {
  it('sends one email per notification, text and HTML, with an escaped title and a link', async () => {
    const user = buildUser({ firstName: 'Eve', notifications: { frequency: 'immediate' } });
    await given.ctx.publish('user.created', user);
    const task = buildTask({ assigneeId: user.id, title: 'Fix <script>alert(1)</script> & co' });
    await given.ctx.publish('task.created', task, { actorId: task.creatorId });

    expect(await deliveryFor(user.id)).toMatchObject({ status: 'sent', sentAt: expect.any(Date) });
    const [mail, ...more] = mailTo(user.email);
    expect(more).toEqual([]);
    const link = `https://board.example.test/teams/${task.teamId}/tasks/${task.id}`;
    expect(mail!.from?.value).toEqual([
      { name: 'TaskForge', address: 'notifications@taskforge.test' },
    ]);
    expect(mail!.subject).toBe(
      '[TaskForge] Someone assigned you “Fix <script>alert(1)</script> & co”',
    );
    expect(mail!.text).toContain('Hi Eve,');
    expect(mail!.text).toContain(`Open it: ${link}`);
    expect(mail!.html).toContain(`<a href="${link}">Open in TaskForge</a>`);
    expect(mail!.html).toContain('Fix &lt;script&gt;alert(1)&lt;/script&gt; &amp; co');
    expect(mail!.html).not.toContain('<script>');
  });

  it('retries with backoff while the SMTP server fails, and never holds up the inbox', async () => {
    const user = buildUser({ notifications: { frequency: 'immediate' } });
    await given.ctx.publish('user.created', user);
    await given.ctx.settled();
    given.smtp.failing = true;
    const me = signIn(user.id);
    await given.ctx.publish('task.created', buildTask({ assigneeId: user.id }));
    await given.ctx.settled();

    // The inbox has it while the email keeps failing.
    const inbox = await request(given.app).get('/api/notifications').set('Cookie', me.cookie);
    expect(inbox.body).toHaveLength(1);
    await waitFor(() => given.smtp.refused >= 2);
    const [pending] = await EmailDelivery.find({ recipientId: user.id }).lean();
    expect(pending?.status).toBe('pending');

    given.smtp.failing = false;
    expect(await deliveryFor(user.id)).toMatchObject({ status: 'sent' });
    expect(mailTo(user.email)).toHaveLength(1);
  });

  it('waits (retrying) for the recipient’s replica before it decides', async () => {
    const user = buildUser();
    await given.ctx.publish('task.created', buildTask({ assigneeId: user.id }));
    await given.ctx.settled();
    const [waiting] = await EmailDelivery.find({ recipientId: user.id }).lean();
    expect(waiting?.status).toBe('pending');

    await given.ctx.publish('user.created', user);
    expect(await deliveryFor(user.id)).toMatchObject({ status: 'sent' });
    expect(mailTo(user.email)).toHaveLength(1);
  });

  it('sends nothing when the user turned email off', async () => {
    const user = buildUser({ notifications: { email: false } });
    await given.ctx.publish('user.created', user);
    await given.ctx.publish('task.created', buildTask({ assigneeId: user.id }));
    expect(await deliveryFor(user.id)).toMatchObject({ status: 'skipped' });
    expect(mailTo(user.email)).toEqual([]);
  });

  it('keeps a notification for the digest when the user chose one', async () => {
    const user = buildUser({ notifications: { frequency: 'daily' } });
    await given.ctx.publish('user.created', user);
    await given.ctx.publish('task.created', buildTask({ assigneeId: user.id }));
    expect(await deliveryFor(user.id)).toMatchObject({ status: 'digest', frequency: 'daily' });
    expect(mailTo(user.email)).toEqual([]);
  });

  it('sends one email for an event delivered twice', async () => {
    const user = buildUser();
    await given.ctx.publish('user.created', user);
    const event = await given.ctx.publish('task.created', buildTask({ assigneeId: user.id }));
    await given.ctx.bus.js.publish(event.subject, JSON.stringify(event));
    await given.ctx.settled();
    expect(await deliveryFor(user.id)).toMatchObject({ status: 'sent' });
    // Another notification to the same user afterwards marks when a second email would be in.
    await given.ctx.publish('task.created', buildTask({ assigneeId: user.id }));
    await waitFor(() => mailTo(user.email).length >= 2);
    expect(await Notification.countDocuments({ recipientId: user.id })).toBe(2);
    expect(mailTo(user.email)).toHaveLength(2);
  });
});
