import { passwordResetEmail } from '../email/templates';
import { isDeleted } from '../models/user';
import type { EmailDeps } from './send-notification-email';
import type { PasswordResetMail } from './notification-jobs';

/**
 * Mails a reset link, unless it has expired meanwhile (a job retried for long) or the account
 * was deleted: a link that cannot work is not sent. A failed send throws, and BullMQ retries
 * with backoff.
 */
export async function sendPasswordResetEmail(
  deps: EmailDeps,
  mail: PasswordResetMail,
  now = new Date(),
): Promise<'sent' | 'expired' | 'account-deleted'> {
  const expiresAt = new Date(mail.expiresAt);
  if (expiresAt <= now) return 'expired';
  if (mail.userId && (await isDeleted(mail.userId))) return 'account-deleted';
  await deps.send(passwordResetEmail(mail.email, mail.token, expiresAt, deps.publicUrl));
  return 'sent';
}
