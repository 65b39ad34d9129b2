import type { Metadata } from 'next';
import Link from 'next/link';
import { VerifyEmailForm } from '../../components/verify-email-form';

export const metadata: Metadata = { title: 'Verify your email address', referrer: 'no-referrer' };

export default async function VerifyEmailPage({ searchParams }: PageProps<'/verify-email'>) {
  const { token } = await searchParams;
  return (
    <main id="main">
      <h1>Verify your email address</h1>
      {typeof token === 'string' && token.length > 0 ? (
        <VerifyEmailForm token={token} />
      ) : (
        <p className="card">
          This page needs the link from the email. Your <Link href="/profile">profile</Link> can
          send it again.
        </p>
      )}
    </main>
  );
}
