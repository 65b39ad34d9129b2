import type { ParsedMail } from 'mailparser';
import type { Express } from 'express';
import { setupNotificationsTest, type NotificationsTestContext } from './setup';
import { startSmtpServer, type TestSmtp } from './smtp';

/** What an email test works on: the stack with its email worker, and the SMTP server it sends to. */
export interface MailFixture {
  readonly ctx: NotificationsTestContext;
  readonly app: Express;
  readonly smtp: TestSmtp;
  /** What the SMTP server received for the address, oldest first. */
  mailTo(address: string): ParsedMail[];
}

/**
 * For the whole file: a real SMTP server of its own, and the stack with the email worker
 * running and sending to it; `env` adds settings (SMTP_URL is the server's).
 */
export function mailWorkerPerFile(env: Record<string, string> = {}): MailFixture {
  let ctx: NotificationsTestContext | undefined;
  let smtp: TestSmtp | undefined;
  const started = () => {
    if (!ctx || !smtp) throw new Error("the fixture's stack is read before its hooks ran");
    return { ctx, smtp };
  };
  beforeAll(async () => {
    smtp = await startSmtpServer();
    ctx = await setupNotificationsTest({ worker: true, env: { SMTP_URL: smtp.url, ...env } });
  });
  afterAll(async () => {
    await ctx?.close();
    await smtp?.close();
  });
  return {
    get ctx() {
      return started().ctx;
    },
    get app() {
      return started().ctx.app;
    },
    get smtp() {
      return started().smtp;
    },
    mailTo: (address) =>
      started().smtp.received.filter(
        (mail) => mail.to && !Array.isArray(mail.to) && mail.to.text === address,
      ),
  };
}
