import type { Metadata } from 'next';
import { ForgotPasswordForm } from '../../components/password-reset-forms';

export const metadata: Metadata = { title: 'Forgot your password' };

export default function ForgotPasswordPage() {
  return (
    <main id="main">
      <h1>Forgot your password?</h1>
      <p className="muted">Give the email address of your account; we send it a link.</p>
      <ForgotPasswordForm />
    </main>
  );
}
