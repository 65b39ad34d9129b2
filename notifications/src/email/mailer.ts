import nodemailer from 'nodemailer';
import type { NotificationsConfig } from '../config';

export interface EmailMessage {
  to: string;
  subject: string;
  text: string;
  html: string;
}

export type SendEmail = (message: EmailMessage) => Promise<void>;

/** nodemailer over SMTP, from SMTP_URL or SMTP_HOST/SMTP_PORT; every email from MAIL_FROM. */
export function createMailer(config: NotificationsConfig): { send: SendEmail; close(): void } {
  const transport = config.SMTP_URL
    ? nodemailer.createTransport(config.SMTP_URL)
    : nodemailer.createTransport({ host: config.SMTP_HOST, port: config.SMTP_PORT });
  return {
    async send(message) {
      await transport.sendMail({ from: config.MAIL_FROM, ...message });
    },
    close: () => transport.close(),
  };
}
