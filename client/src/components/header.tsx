import Link from 'next/link';
import type { User } from '../lib/types';
import { Avatar } from './avatar';
import { NavLink } from './nav-link';
import { NotificationBell } from './notification-bell';
import { SignOutButton } from './sign-out-button';

export function Header({ user, unread }: { user: User | null; unread: number }) {
  return (
    <header className="site-header">
      <Link href={user ? '/teams' : '/'} className="brand">
        TaskForge
      </Link>
      <nav className="site-nav" aria-label="Main">
        {user && <NavLink href="/teams">Teams</NavLink>}
        <NavLink href="/tickets">Tickets</NavLink>
      </nav>
      <div className="header-actions">
        {user ? (
          <>
            <NotificationBell initialUnread={unread} />
            <Link
              href="/profile"
              className="button"
              aria-label={`Profile of ${user.email}`}
              data-testid="current-user"
            >
              <Avatar person={user} />
              <span className="current-user-email">{user.email}</span>
            </Link>
            <SignOutButton />
          </>
        ) : (
          <>
            <Link href="/signin" className="button">
              Sign in
            </Link>
            <Link href="/signup" className="button primary">
              Sign up
            </Link>
          </>
        )}
      </div>
    </header>
  );
}
