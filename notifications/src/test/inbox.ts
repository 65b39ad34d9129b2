import type { Express } from 'express';
import request from 'supertest';
import { unreadCountMessages } from './inspect';
import { setupNotificationsTest, type NotificationsTestContext } from './setup';

/** What a test of the inbox routes works on, and the unread count as a user sees it. */
export interface InboxFixture {
  readonly ctx: NotificationsTestContext;
  readonly app: Express;
  /** `GET /api/notifications/unread-count` with the user's session cookie. */
  unreadCount(cookie: string): request.Test;
  /** The unread counts sent to the user's browsers, oldest first. */
  countMessages(userId: string): ReturnType<typeof unreadCountMessages>;
}

/**
 * The file's stack for the whole file, emptied before each test so that every inbox starts
 * empty and every count at zero.
 */
export function inboxPerTest(): InboxFixture {
  let ctx: NotificationsTestContext | undefined;
  const started = () => {
    if (!ctx) throw new Error("the fixture's stack is read before its hooks ran");
    return ctx;
  };
  beforeAll(async () => {
    ctx = await setupNotificationsTest();
  });
  beforeEach(() => started().reset());
  afterAll(() => ctx?.close());
  return {
    get ctx() {
      return started();
    },
    get app() {
      return started().app;
    },
    unreadCount: (cookie) =>
      request(started().app).get('/api/notifications/unread-count').set('Cookie', cookie),
    countMessages: (userId) => unreadCountMessages(started().redis, started().redisPrefix, userId),
  };
}
