import { displayName } from '@taskforge/common';
import escapeHtml from 'escape-html';
import type { NotificationAttrs } from '../models/notification';
import { SOMEONE, type NotificationFrequency, type UserReplicaAttrs } from '../replicas/user';
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
  const greeting = `Hi ${displayName(to, SOMEONE)},`;
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
  const greeting = `Hi ${displayName(to, SOMEONE)},`;
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

/**
 * What an account link's email says around the link. No name and no settings footer: it goes to
 * an address (perhaps one the account does not have yet), whatever the notification settings.
 */
interface AccountLinkText {
  subject: string;
  /** Why the email came. */
  reason: string;
  /** The plain text's lead-in to the link, and the HTML link's text. */
  action: string;
  linkText: string;
  ignore: string;
}

/** A single-use link to `<publicUrl><path>?token=…`, working until `until`. */
function accountLinkEmail(
  to: string,
  link: { path: string; token: string; until: string; publicUrl: string },
  words: AccountLinkText,
): EmailMessage {
  const url = absolute(link.publicUrl, `${link.path}?token=${encodeURIComponent(link.token)}`);
  const works = `the link works once, until ${link.until}`;
  return {
    to,
    subject: `[TaskForge] ${words.subject}`,
    text: `Hi,\n\n${words.reason}\n${words.action} (${works}):\n${url}\n\n${words.ignore}\n`,
    html: [
      '<!doctype html><html><body style="font-family:sans-serif;line-height:1.5">',
      '<p>Hi,</p>',
      `<p>${escapeHtml(words.reason)}</p>`,
      `<p><a href="${escapeHtml(url)}">${escapeHtml(words.linkText)}</a> (${escapeHtml(works)}).</p>`,
      `<p style="color:#666;font-size:12px">${escapeHtml(words.ignore)}</p>`,
      '</body></html>',
    ].join('\n'),
  };
}

/** The email of a link about the account: mailed to `to`, it works once, until `expiresAt`. */
export type AccountLinkTemplate = (
  to: string,
  token: string,
  expiresAt: Date,
  publicUrl: string,
) => EmailMessage;

/** The link of a password reset someone asked for. */
export const passwordResetEmail: AccountLinkTemplate = (to, token, expiresAt, publicUrl) => {
  // A reset lives half an hour: the time of day says when.
  const until = `${expiresAt.toISOString().slice(11, 16)} UTC`;
  return accountLinkEmail(
    to,
    { path: '/reset-password', token, until, publicUrl },
    {
      subject: 'Reset your password',
      reason: 'Someone (we hope you) asked to reset the password of your TaskForge account.',
      action: 'Choose a new one here',
      linkText: 'Choose a new password',
      ignore: 'If you did not ask for it, ignore this email: your password stays as it is.',
    },
  );
};

/**
 * The link that proves `to` belongs to the account: at sign-up, or for the new address of a
 * change (the account takes it once the link is opened).
 */
export const emailVerificationEmail: AccountLinkTemplate = (to, token, expiresAt, publicUrl) => {
  // A link lives for a day or so: the date too.
  const iso = expiresAt.toISOString();
  const until = `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
  return accountLinkEmail(
    to,
    { path: '/verify-email', token, until, publicUrl },
    {
      subject: 'Confirm your email address',
      reason:
        'Someone (we hope you) signed up for TaskForge with this address, ' +
        'or asked to change the address of their account to it.',
      action: 'Confirm that it is yours here',
      linkText: 'Confirm your email address',
      ignore:
        'If you did not sign up or ask to change your address, ignore this email: ' +
        'the address is not confirmed without the link.',
    },
  );
};
