import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { AuthForm } from '../../components/auth-form';
import { safeReturnPath } from '../../lib/return-to';
import { currentUser } from '../../lib/server-api';

export const metadata: Metadata = { title: 'Sign in' };

export default async function SignInPage({ searchParams }: PageProps<'/signin'>) {
  const next = safeReturnPath((await searchParams).next);
  if (await currentUser()) redirect(next);
  return (
    <main id="main">
      <h1>Sign in</h1>
      <AuthForm mode="signin" next={next} />
    </main>
  );
}
