import type { Metadata } from 'next';
import { DeleteAccountCard } from '../../components/profile/delete-account-card';
import { EmailCard } from '../../components/profile/email-card';
import { PasswordForm } from '../../components/profile/password-form';
import { PreferencesForm } from '../../components/profile/preferences-form';
import { ProfileForm } from '../../components/profile/profile-form';
import { SessionsCard } from '../../components/profile/sessions-card';
import { requireUser } from '../../lib/server-api';

export const metadata: Metadata = { title: 'Profile' };

export default async function ProfilePage() {
  const user = await requireUser('/profile');
  return (
    <main id="main">
      <h1>Your profile</h1>
      <div className="stack narrow">
        <ProfileForm user={user} />
        <PreferencesForm user={user} />
        <EmailCard user={user} />
        <PasswordForm />
        <SessionsCard />
        <DeleteAccountCard />
      </div>
    </main>
  );
}
