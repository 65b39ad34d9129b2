import escapeHtml from 'escape-html';
import type { NotificationAttrs } from '../models/notification';
import { displayName, type NotificationFrequency, type UserReplicaAttrs } from '../models/user';
import type { EmailMessage } from './mailer';

/** Whom an email goes to: a user still here, with an address. */
type Recipient = Pick<UserReplicaAttrs, 'firstName' | 'lastName'> & { email: string };
type Item = Pick<NotificationAttrs, 'title' | 'link' | 'createdAt'>;

function absolute(publicUrl: string, link: string): string {
  return new URL(link, publicUrl).toString();
}

function layout(greeting: string, body: string, publicUrl: string): string {
  const settings = escapeHtml(absolute(publicUrl, '/settings/notifications'));
  return [
    '<!doctype html><html><body style="font-family:sans-serif;line-height:1.5">',
    `<p>${escapeHtml(greeting)}</p>`,
    body,
    `<p style="color:#666;font-size:12px">You receive this because of your ` +
      `<a href="${settings}">notification settings</a>.</p>`,
    '</body></html>',
  ].join('\n');
}

/** One notification, sent as it happens (`frequency: immediate`). */
export function notificationEmail(item: Item, to: Recipient, publicUrl: string): EmailMessage {
  const url = absolute(publicUrl, item.link);
  const greeting = `Hi ${displayName(to)},`;
  return {
    to: to.email,
    subject: `[TaskForge] ${item.title}`,
    text: `${greeting}\n\n${item.title}\n\nOpen it: ${url}\n`,
    html: layout(
      greeting,
      `<p>${escapeHtml(item.title)}</p>\n<p><a href="${escapeHtml(url)}">Open in TaskForge</a></p>`,
      publicUrl,
    ),
  };
}

const PERIOD: Record<Exclude<NotificationFrequency, 'immediate'>, string> = {
  hourly: 'hourly',
  daily: 'daily',
  weekly: 'weekly',
};

/** Everything that arrived since the last digest, oldest first, each with its link. */
export function digestEmail(
  items: Item[],
  to: Recipient,
  frequency: Exclude<NotificationFrequency, 'immediate'>,
  publicUrl: string,
): EmailMessage {
  const greeting = `Hi ${displayName(to)},`;
  const count = items.length === 1 ? '1 notification' : `${items.length} notifications`;
  const lines = items.map((item) => `- ${item.title}\n  ${absolute(publicUrl, item.link)}`);
  const listItems = items.map(
    (item) =>
      `<li><a href="${escapeHtml(absolute(publicUrl, item.link))}">${escapeHtml(item.title)}</a></li>`,
  );
  return {
    to: to.email,
    subject: `[TaskForge] Your ${PERIOD[frequency]} digest: ${count}`,
    text: `${greeting}\n\nSince your last digest (${count}):\n\n${lines.join('\n')}\n`,
    html: layout(
      greeting,
      `<p>Since your last digest (${count}):</p>\n<ul>\n${listItems.join('\n')}\n</ul>`,
      publicUrl,
    ),
  };
}

/** The link of a password reset someone asked for; it works once, until `expiresAt`. */
export function passwordResetEmail(
  to: string,
  token: string,
  expiresAt: Date,
  publicUrl: string,
): EmailMessage {
  const url = absolute(publicUrl, `/reset-password?token=${encodeURIComponent(token)}`);
  const until = `${expiresAt.toISOString().slice(11, 16)} UTC`;
  const lines = [
    'Someone (we hope you) asked to reset the password of your TaskForge account.',
    `Choose a new one here (the link works once, until ${until}):`,
  ];
  const ignore = 'If you did not ask for it, ignore this email: your password stays as it is.';
  return {
    to,
    subject: '[TaskForge] Reset your password',
    text: `Hi,\n\n${lines.join('\n')}\n${url}\n\n${ignore}\n`,
    html: [
      '<!doctype html><html><body style="font-family:sans-serif;line-height:1.5">',
      '<p>Hi,</p>',
      `<p>${escapeHtml(lines[0]!)}</p>`,
      `<p><a href="${escapeHtml(url)}">Choose a new password</a> (the link works once, until ${escapeHtml(until)}).</p>`,
      `<p style="color:#666;font-size:12px">${escapeHtml(ignore)}</p>`,
      '</body></html>',
    ].join('\n'),
  };
}
