import { displayName, UNKNOWN_PERSON } from '@taskforge/common/display-name';
import { initials, userAsPerson } from '../people';
import type { Member, User } from '../types';

const member = (overrides: Partial<Member> = {}): Member => ({
  userId: 'u1',
  role: 'member',
  joinedAt: '2026-11-01T10:00:00.000Z',
  version: 0,
  email: 'ada@example.test',
  firstName: 'Ada',
  lastName: 'Lovelace',
  ...overrides,
});

describe('people', () => {
  // The client imports common's rule itself (the subpath without dependencies), so a member is
  // named here exactly as the services name them in notifications and activity.
  it('names a member by their name, else their email, else the suite-wide stand-in', () => {
    expect(displayName(member())).toBe('Ada Lovelace');
    expect(displayName(member({ firstName: ' Ada ', lastName: null }))).toBe('Ada');
    expect(displayName(member({ firstName: null, lastName: null }))).toBe('ada@example.test');
    // The teams directory has not heard of the user yet: every field is still null.
    expect(displayName(member({ firstName: null, lastName: null, email: null }))).toBe(
      UNKNOWN_PERSON,
    );
    expect(displayName(undefined)).toBe('Unknown user');
  });

  it('gives an avatar the initials of the name, else of the email, else a question mark', () => {
    expect(initials(member())).toBe('AL');
    expect(initials(member({ firstName: null, lastName: 'lovelace' }))).toBe('L');
    expect(initials(member({ firstName: null, lastName: null }))).toBe('A');
    expect(initials(member({ firstName: null, lastName: null, email: null }))).toBe('?');
    expect(initials(null)).toBe('?');
  });

  it('names the signed-in user as their teammates see them', () => {
    const user: User = {
      id: 'u1',
      email: 'ada@example.test',
      emailVerified: true,
      pendingEmail: null,
      firstName: 'Ada',
      lastName: null,
      bio: null,
      avatarUrl: null,
      preferences: {
        theme: 'system',
        notifications: { email: true, push: false, frequency: 'immediate' },
      },
      createdAt: '2026-11-01T10:00:00.000Z',
      lastLoginAt: null,
      passwordChangedAt: null,
      version: 0,
    };
    expect(userAsPerson(user)).toEqual({
      firstName: 'Ada',
      lastName: null,
      email: 'ada@example.test',
    });
    expect(displayName(userAsPerson(user))).toBe(displayName(member({ lastName: null })));
  });
});
