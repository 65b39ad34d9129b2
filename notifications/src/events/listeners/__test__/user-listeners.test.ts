import { UserReplica } from '../../../models/user';
import { buildUser } from '../../../test/factories';
import { setupNotificationsTest, type NotificationsTestContext } from '../../../test/setup';

let ctx: NotificationsTestContext;

beforeAll(async () => {
  ctx = await setupNotificationsTest();
});
afterAll(() => ctx.close());

describe('user.created / user.updated', () => {
  it('keeps the email address and notification preferences, applying versions in order', async () => {
    const user = buildUser({ email: 'first@example.test' });
    const v1 = { ...user, version: 1, email: 'second@example.test' };
    const v2 = {
      ...user,
      version: 2,
      email: 'third@example.test',
      firstName: 'Di',
      preferences: {
        ...user.preferences,
        notifications: { email: false, push: true, frequency: 'weekly' as const },
      },
    };
    await ctx.publish('user.updated', v2);
    await ctx.publish('user.updated', v1);
    await ctx.publish('user.created', user);
    await ctx.publish('user.updated', v1); // a duplicate: acked and ignored
    await ctx.settled();

    expect(await UserReplica.findById(user.id).lean()).toEqual({
      _id: user.id,
      version: 2,
      email: 'third@example.test',
      firstName: 'Di',
      lastName: null,
      emailEnabled: false,
      frequency: 'weekly',
    });
  });
});
