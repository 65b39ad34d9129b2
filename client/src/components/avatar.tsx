import { displayName } from '@taskforge/common/display-name';
import { initials } from '../lib/people';
import type { Member } from '../lib/types';

type Person = Pick<Member, 'firstName' | 'lastName' | 'email'> & { avatarUrl?: string | null };

/** A round avatar: the person's picture when they gave one, else their initials. */
export function Avatar({ person, label }: { person: Person | undefined; label?: string }) {
  const name = label ?? displayName(person);
  if (person?.avatarUrl) {
    return (
      <span className="avatar" title={name}>
        {/* An avatar may be on any host; next/image would need each one allowed in advance. */}
        {/* eslint-disable-next-line @next/next/no-img-element */}
        <img src={person.avatarUrl} alt={name} referrerPolicy="no-referrer" />
      </span>
    );
  }
  return (
    <span className="avatar" title={name} role="img" aria-label={name}>
      {initials(person)}
    </span>
  );
}
