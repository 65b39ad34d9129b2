import { Types } from 'mongoose';
import request from 'supertest';
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

const { confirm, me, resend } = verificationRequests(() => ctx.app);

describe('POST /api/users/me/email-verification', () => {
  it('mails a new link on request, which replaces the last one, and none once verified', async () => {
    const user = await signUp(ctx.app);
    const [first] = await verificationLinksFor(ctx.natsUrl, user.id);

    const res = await resend(user);

    expect(res.status).toBe(202);
    expectDocumented('post', '/api/users/me/email-verification', res);
    const [, second] = await verificationLinksFor(ctx.natsUrl, user.id, 2);
    expect(second!.token).not.toBe(first!.token);
    // Nothing replicated changed: the version every user event follows stays.
    expect((await User.findById(user.id).lean())?.version).toBe(0);
    expect((await confirm(first!.token)).status).toBe(400);
    expect((await confirm(second!.token)).status).toBe(204);

    const verified = await resend(user);
    expect(verified.status).toBe(409);
    expectDocumented('post', '/api/users/me/email-verification', verified);
    expect(verified.body).toEqual({
      errors: [{ message: 'Your email address is already verified' }],
    });
    expect((await request(ctx.app).post('/api/users/me/email-verification')).status).toBe(401);
  });

  it('limits the links a user may ask for', async () => {
    const app = ctx.buildApp({ env: { EMAIL_VERIFICATION_MAX_PER_USER: '2' } });
    const user = await signUp(app);
    for (let i = 0; i < 2; i += 1) expect((await resend(user, app)).status).toBe(202);
    const limited = await resend(user, app);
    expect(limited.status).toBe(429);
    expect(limited.body).toEqual({
      errors: [{ message: 'Too many verification emails, please try again later' }],
    });
  });
});

describe('an account from before verification', () => {
  it('counts as verified: its events say so, and it is not asked again', async () => {
    const user = await signUp(ctx.app);
    // As such an account is stored: no emailVerifiedAt at all.
    await User.collection.updateOne(
      { _id: new Types.ObjectId(user.id) },
      { $unset: { emailVerifiedAt: '', emailVerification: '' } },
    );
    expect((await me(user.cookie)).body).toMatchObject({ emailVerified: true });
    await request(ctx.app)
      .patch('/api/users/me')
      .set('Cookie', user.cookie)
      .send({ firstName: 'Old' })
      .expect(200);
    const [updated] = await ctx.eventsFor('user.updated', user.id);
    expect(updated?.data).toMatchObject({ firstName: 'Old', emailVerified: true });
    expect((await resend(user)).status).toBe(409);
  });
});
