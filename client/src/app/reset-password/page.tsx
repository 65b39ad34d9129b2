import type { Metadata } from 'next';
import Link from 'next/link';
import { ResetPasswordForm } from '../../components/password-reset-forms';

export const metadata: Metadata = { title: 'Choose a new password', referrer: 'no-referrer' };

export default async function ResetPasswordPage({ searchParams }: PageProps<'/reset-password'>) {
  const { token } = await searchParams;
  return (
    <main id="main">
      <h1>Choose a new password</h1>
      {typeof token === 'string' && token.length > 0 ? (
        <ResetPasswordForm token={token} />
      ) : (
        <p className="card">
          This page needs the link from the email. <Link href="/forgot-password">Ask for one</Link>.
        </p>
      )}
    </main>
  );
}
