import { passwordResetEmail } from '../email/templates';
import type { EmailDeps } from './send-notification-email';
import type { PasswordResetMail } from './notification-jobs';

/**
 * Mails a reset link, unless it has expired meanwhile (a job retried for long): a link that
 * cannot work is not sent. A failed send throws, and BullMQ retries with backoff.
 */
export async function sendPasswordResetEmail(
  deps: EmailDeps,
  mail: PasswordResetMail,
  now = new Date(),
): Promise<'sent' | 'expired'> {
  const expiresAt = new Date(mail.expiresAt);
  if (expiresAt <= now) return 'expired';
  await deps.send(passwordResetEmail(mail.email, mail.token, expiresAt, deps.publicUrl));
  return 'sent';
}
