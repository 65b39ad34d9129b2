import type { Member, User } from './types';

type Person = Pick<Member, 'firstName' | 'lastName' | 'email'>;

/** "Ada Lovelace", else the email, else a stand-in (the directory has not caught up yet). */
export function displayName(person: Person | undefined | null): string {
  if (!person) return 'Unknown user';
  const name = [person.firstName, person.lastName].filter(Boolean).join(' ').trim();
  return name || person.email || 'Unknown user';
}

/** Up to two letters for an avatar. */
export function initials(person: Person | undefined | null): string {
  if (!person) return '?';
  const first = person.firstName?.trim()[0];
  const last = person.lastName?.trim()[0];
  if (first || last) return `${first ?? ''}${last ?? ''}`.toUpperCase();
  return (person.email?.trim()[0] ?? '?').toUpperCase();
}

export function userAsPerson(user: User): Person {
  return { firstName: user.firstName, lastName: user.lastName, email: user.email };
}
