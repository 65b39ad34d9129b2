/*
 * How the suite names a person, in every service and in the client (which imports this file
 * alone, through `@taskforge/common/display-name`, so it must not import anything).
 */

/** The parts of a profile a name is made from; replicas and API responses all carry them. */
export interface NamedPerson {
  firstName?: string | null;
  lastName?: string | null;
  email?: string | null;
}

/** The stand-in for someone the reader's copy of the directory does not know, or who left. */
export const UNKNOWN_PERSON = 'Unknown user';

/**
 * "First Last" when the profile has a name, else the email, else `unknown`. A sentence that
 * starts with the name passes its own stand-in (notifications write "Someone assigned you").
 */
export function displayName(
  person: NamedPerson | null | undefined,
  unknown: string = UNKNOWN_PERSON,
): string {
  if (!person) return unknown;
  const name = [person.firstName, person.lastName]
    .map((part) => (typeof part === 'string' ? part.trim() : ''))
    .filter((part) => part !== '')
    .join(' ');
  return name || person.email?.trim() || unknown;
}
