import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { AuthForm } from '../../components/auth-form';
import { safeReturnPath } from '../../lib/return-to';
import { currentUser } from '../../lib/server-api';

export const metadata: Metadata = { title: 'Sign up' };

export default async function SignUpPage({ searchParams }: PageProps<'/signup'>) {
  const next = safeReturnPath((await searchParams).next);
  if (await currentUser()) redirect(next);
  return (
    <main id="main">
      <h1>Create your account</h1>
      <AuthForm mode="signup" next={next} />
    </main>
  );
}
