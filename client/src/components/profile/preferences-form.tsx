'use client';

import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { api } from '../../lib/http';
import { applyTheme } from '../../lib/theme';
import { NOTIFICATION_FREQUENCIES, THEMES, type Theme, type User } from '../../lib/types';
import { FormErrorSummary, useApiForm } from '../form';

const THEME_LABELS: Record<Theme, string> = {
  light: 'Light',
  dark: 'Dark',
  system: 'Same as my device',
};

/** Theme (applied at once, everywhere) and how notifications reach the user. */
export function PreferencesForm({ user }: { user: User }) {
  const router = useRouter();
  const { errors, pending, run } = useApiForm(['theme', 'email', 'push', 'frequency']);
  const [notifications, setNotifications] = useState(user.preferences.notifications);
  const [themeSaved, setThemeSaved] = useState(false);
  const [notificationsSaved, setNotificationsSaved] = useState(false);

  async function changeTheme(theme: Theme) {
    const previous = applyTheme(theme);
    const ok = await run(async () => {
      await api('/api/users/me', { method: 'PATCH', body: { preferences: { theme } } });
    });
    if (!ok) applyTheme(previous);
    if (ok) {
      setThemeSaved(true);
      router.refresh();
    }
  }

  return (
    <section className="card" aria-labelledby="preferences-heading">
      <h2 id="preferences-heading" className="card-title">
        Preferences
      </h2>
      <FormErrorSummary errors={errors} />
      <fieldset className="field plain-fieldset flush space-below-l">
        <legend className="label">Theme</legend>
        <div className="button-row">
          {THEMES.map((theme) => (
            <label key={theme}>
              <input
                type="radio"
                name="theme"
                value={theme}
                defaultChecked={user.preferences.theme === theme}
                disabled={pending}
                onChange={() => void changeTheme(theme)}
              />{' '}
              {THEME_LABELS[theme]}
            </label>
          ))}
        </div>
        {themeSaved && (
          <span role="status" className="muted small">
            Theme saved.
          </span>
        )}
        {errors.fields.theme && <span className="field-error">{errors.fields.theme}</span>}
      </fieldset>
      <form
        className="form"
        onSubmit={(event) => {
          event.preventDefault();
          setNotificationsSaved(false);
          void run(async () => {
            await api('/api/users/me', {
              method: 'PATCH',
              body: { preferences: { notifications } },
            });
            setNotificationsSaved(true);
            router.refresh();
          });
        }}
      >
        <fieldset className="field plain-fieldset">
          <legend className="label">Notifications</legend>
          <label>
            <input
              type="checkbox"
              checked={notifications.email}
              onChange={(event) =>
                setNotifications({ ...notifications, email: event.target.checked })
              }
            />{' '}
            Email me
          </label>
          <label>
            <input
              type="checkbox"
              checked={notifications.push}
              onChange={(event) =>
                setNotifications({ ...notifications, push: event.target.checked })
              }
            />{' '}
            Live notifications in the app
          </label>
          <label htmlFor="frequency" className="space-above-s">
            Email frequency
          </label>
          <select
            id="frequency"
            value={notifications.frequency}
            aria-invalid={Boolean(errors.fields.frequency)}
            onChange={(event) =>
              setNotifications({
                ...notifications,
                frequency: event.target.value as User['preferences']['notifications']['frequency'],
              })
            }
          >
            {NOTIFICATION_FREQUENCIES.map((frequency) => (
              <option key={frequency} value={frequency}>
                {frequency === 'immediate' ? 'Right away' : `A ${frequency} digest`}
              </option>
            ))}
          </select>
          {errors.fields.frequency && (
            <span className="field-error">{errors.fields.frequency}</span>
          )}
        </fieldset>
        <div className="button-row">
          <button type="submit" className="primary" disabled={pending}>
            Save notification preferences
          </button>
          {notificationsSaved && (
            <span role="status" className="muted">
              Notification preferences saved.
            </span>
          )}
        </div>
      </form>
    </section>
  );
}
