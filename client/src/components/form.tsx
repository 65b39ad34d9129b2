'use client';

import { useState, type FormEvent, type ReactNode } from 'react';
import { formErrorsOf, type FormErrors } from '../lib/api-errors';

const NO_ERRORS: FormErrors = { fields: {}, general: [] };

/**
 * A form's submit state: runs `action`, and on failure spreads the API's errors over the
 * form's fields (the rest above the form).
 */
export function useApiForm(fields: readonly string[]) {
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [pending, setPending] = useState(false);

  async function run(action: () => Promise<void>): Promise<boolean> {
    setPending(true);
    setErrors(NO_ERRORS);
    try {
      await action();
      return true;
    } catch (err) {
      setErrors(formErrorsOf(err, fields));
      return false;
    } finally {
      setPending(false);
    }
  }

  function onSubmit(action: (data: FormData, form: HTMLFormElement) => Promise<void>) {
    return (event: FormEvent<HTMLFormElement>) => {
      event.preventDefault();
      const form = event.currentTarget;
      void run(() => action(new FormData(form), form));
    };
  }

  return { errors, pending, run, onSubmit, setErrors };
}

export function FormErrorSummary({ errors }: { errors: FormErrors }) {
  if (errors.general.length === 0) return null;
  return (
    <ul className="form-errors" role="alert">
      {errors.general.map((message) => (
        <li key={message}>{message}</li>
      ))}
    </ul>
  );
}

/** A labelled control with its hint and error tied to it for screen readers. */
export function Field({
  name,
  label,
  error,
  hint,
  children,
}: {
  name: string;
  label: string;
  error?: string;
  hint?: string;
  children: (props: {
    id: string;
    name: string;
    'aria-invalid': boolean;
    'aria-describedby': string | undefined;
  }) => ReactNode;
}) {
  const id = `field-${name.replace(/[^A-Za-z0-9_-]/g, '-')}`;
  const described = [hint ? `${id}-hint` : '', error ? `${id}-error` : '']
    .filter(Boolean)
    .join(' ');
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {children({
        id,
        name,
        'aria-invalid': Boolean(error),
        'aria-describedby': described || undefined,
      })}
      {hint && (
        <span className="field-hint" id={`${id}-hint`}>
          {hint}
        </span>
      )}
      {error && (
        <span className="field-error" id={`${id}-error`}>
          {error}
        </span>
      )}
    </div>
  );
}
