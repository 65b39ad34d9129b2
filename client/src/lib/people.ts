import type { NamedPerson } from '@taskforge/common/display-name';
import type { User } from './types';

/** Up to two letters for an avatar. */
export function initials(person: NamedPerson | undefined | null): string {
  if (!person) return '?';
  const first = person.firstName?.trim()[0];
  const last = person.lastName?.trim()[0];
  if (first || last) return `${first ?? ''}${last ?? ''}`.toUpperCase();
  return (person.email?.trim()[0] ?? '?').toUpperCase();
}

export function userAsPerson(user: User): NamedPerson {
  return { firstName: user.firstName, lastName: user.lastName, email: user.email };
}
