import { waitFor } from '@taskforge/common/testing';
import { hashResetToken } from '../../../models/password-reset';
import { User } from '../../../models/user';
import { signUp, verificationLinksFor } from '../../../test/factories';
import { verificationRequests } from '../../../test/email-verification';
import { expectDocumented } from '../../../test/openapi';
import { setupAuthTest, type AuthTestContext } from '../../../test/setup';

let ctx: AuthTestContext;

beforeAll(async () => {
  ctx = await setupAuthTest();
});
beforeEach(() => ctx.reset());
afterAll(() => ctx.close());

const { confirm, me } = verificationRequests(() => ctx.app);

describe('email verification at sign-up', () => {
  it('mails a single-use link for the new address, keeping only its hash', async () => {
    const user = await signUp(ctx.app);
    expect(user.res.body).toMatchObject({ emailVerified: false, pendingEmail: null });

    const [link] = await verificationLinksFor(ctx.natsUrl, user.id);
    expect(link).toMatchObject({ userId: user.id, email: user.email, version: 0 });
    expect(link!.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const lifetime = new Date(link!.expiresAt).getTime() - Date.now();
    expect(Math.round(lifetime / 3_600_000)).toBe(24);
    const [created] = await ctx.eventsFor('user.created', user.id);
    expect(created?.data).toMatchObject({ version: 0, emailVerified: false });
    // The token leaves the outbox once published (the relay removes the event after the stream
    // acknowledged it, a moment after it is readable there); from then on only its hash stays.
    const stored = await waitFor(async () => {
      const doc = await User.findById(user.id).lean();
      return doc?.outbox.length === 0 ? doc : undefined;
    });
    expect(stored.emailVerification?.tokenHash).toBe(hashResetToken(link!.token));
    expect(JSON.stringify(stored)).not.toContain(link!.token.slice(0, 20));
  });

  it('verifies the address once, without a session, and tells every service', async () => {
    const user = await signUp(ctx.app);
    const [link] = await verificationLinksFor(ctx.natsUrl, user.id);

    const res = await confirm(link!.token);

    expect(res.status).toBe(204);
    expectDocumented('post', '/api/users/email-verification/confirm', res);
    expect((await me(user.cookie)).body).toMatchObject({
      email: user.email,
      emailVerified: true,
      pendingEmail: null,
    });
    const [updated] = await ctx.eventsFor('user.updated', user.id);
    expect(updated?.data).toMatchObject({ version: 1, email: user.email, emailVerified: true });

    const again = await confirm(link!.token);
    expect(again.status).toBe(400);
    expectDocumented('post', '/api/users/email-verification/confirm', again);
    expect(again.body).toEqual({
      errors: [{ message: 'This verification link is invalid or has expired', field: 'token' }],
    });
  });

  it('refuses a token that is missing, unknown or expired, changing nothing', async () => {
    const user = await signUp(ctx.app);
    const [link] = await verificationLinksFor(ctx.natsUrl, user.id);
    await User.updateOne(
      { _id: user.id },
      { $set: { 'emailVerification.expiresAt': new Date(Date.now() - 1000) } },
    );
    for (const token of [undefined, 'x'.repeat(43), link!.token]) {
      const res = await confirm(token);
      expect(res.status).toBe(400);
      expect(res.body.errors[0]).toMatchObject({ field: 'token' });
    }
    expect((await me(user.cookie)).body.emailVerified).toBe(false);
  });
});
