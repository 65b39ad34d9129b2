import type { Metadata, Viewport } from 'next';
import type { ReactNode } from 'react';
import { Header } from '../components/header';
import { LiveProvider } from '../components/live';
import { apiGet, currentUser } from '../lib/server-api';
import './globals.css';

export const metadata: Metadata = {
  title: { default: 'TaskForge', template: '%s · TaskForge' },
  description: 'Team task boards, tickets and notifications.',
};

export const viewport: Viewport = {
  width: 'device-width',
  initialScale: 1,
  themeColor: [
    { media: '(prefers-color-scheme: light)', color: '#ffffff' },
    { media: '(prefers-color-scheme: dark)', color: '#171b22' },
  ],
};

async function unreadCount(): Promise<number> {
  const res = await apiGet<{ count: number }>('/api/notifications/unread-count');
  return res.status === 200 ? res.body.count : 0;
}

/**
 * Every page: the theme is the signed-in user's preference, set on <html> by the server, so the
 * first paint already has it ("system" follows the OS through CSS alone, without script).
 */
export default async function RootLayout({ children }: { children: ReactNode }) {
  const user = await currentUser();
  const unread = user ? await unreadCount() : 0;
  const header = <Header user={user} unread={unread} />;
  return (
    <html lang="en" data-theme={user?.preferences.theme ?? 'system'}>
      <body>
        <a className="skip-link" href="#main">
          Skip to content
        </a>
        {user ? (
          <LiveProvider>
            {header}
            {children}
          </LiveProvider>
        ) : (
          <>
            {header}
            {children}
          </>
        )}
      </body>
    </html>
  );
}
