import {
  emailVerificationEmail,
  passwordResetEmail,
  type AccountLinkTemplate,
} from '../email/templates';
import { isDeleted } from '../replicas/user';
import type { EmailDeps } from './send-notification-email';
import type { AccountMail, AccountMailKind } from './notification-jobs';

const TEMPLATES: Record<AccountMailKind, AccountLinkTemplate> = {
  'password-reset': passwordResetEmail,
  'email-verification': emailVerificationEmail,
};

/**
 * Mails an account link (a password reset, an address to verify), unless it has expired meanwhile
 * (a job retried for long) or the account was deleted: a link that cannot work is not sent. A
 * failed send throws, and BullMQ retries with backoff.
 */
export async function sendAccountEmail(
  deps: EmailDeps,
  mail: AccountMail,
  now = new Date(),
): Promise<'sent' | 'expired' | 'account-deleted'> {
  const expiresAt = new Date(mail.expiresAt);
  if (expiresAt <= now) return 'expired';
  if (mail.userId && (await isDeleted(mail.userId))) return 'account-deleted';
  await deps.send(TEMPLATES[mail.kind](mail.email, mail.token, expiresAt, deps.publicUrl));
  return 'sent';
}
