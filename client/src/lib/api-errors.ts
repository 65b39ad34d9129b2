import type { ErrorResponse } from './types';

/** One entry of the suite's error shape: `{ errors: [{ message, field? }] }`. */
export type ApiErrorItem = ErrorResponse['errors'][number];

/** A non-2xx answer from one of the APIs, with its errors in the suite's shape. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly errors: ApiErrorItem[],
  ) {
    super(errors.map((e) => e.message).join('; ') || `Request failed (${status})`);
    this.name = 'ApiError';
  }
}

const FALLBACK: Record<number, string> = {
  401: 'Please sign in again.',
  403: 'You are not allowed to do that.',
  404: 'Not found.',
  409: 'Someone else changed this meanwhile. Reload and try again.',
  429: 'Too many requests. Wait a moment and try again.',
};

/** The errors of a response body; anything not in the suite's shape becomes one general error. */
export function errorsFromBody(status: number, body: unknown): ApiErrorItem[] {
  if (
    typeof body === 'object' &&
    body !== null &&
    Array.isArray((body as { errors?: unknown }).errors)
  ) {
    const items = (body as { errors: unknown[] }).errors.flatMap((item): ApiErrorItem[] => {
      if (typeof item !== 'object' || item === null) return [];
      const { message, field } = item as { message?: unknown; field?: unknown };
      if (typeof message !== 'string' || message === '') return [];
      return [typeof field === 'string' && field !== '' ? { message, field } : { message }];
    });
    if (items.length > 0) return items;
  }
  return [{ message: FALLBACK[status] ?? `Something went wrong (${status}). Please try again.` }];
}

export interface FormErrors {
  /** The first message for each form field. */
  fields: Record<string, string>;
  /** Messages that belong to no field of the form. */
  general: string[];
}

/**
 * Splits API errors over a form: an error whose field the form has goes beside that field
 * (`preferences.theme` matches a field named `preferences.theme` or, failing that, `theme`);
 * everything else is shown above the form.
 */
export function toFormErrors(errors: ApiErrorItem[], formFields: readonly string[]): FormErrors {
  const fields: Record<string, string> = {};
  const general: string[] = [];
  for (const error of errors) {
    const field = error.field && matchField(error.field, formFields);
    if (field) {
      fields[field] ??= error.message;
    } else if (!general.includes(error.message)) {
      general.push(error.message);
    }
  }
  return { fields, general };
}

function matchField(apiField: string, formFields: readonly string[]): string | undefined {
  if (formFields.includes(apiField)) return apiField;
  const last = apiField.split('.').pop();
  return last && formFields.includes(last) ? last : undefined;
}

/** Any thrown value as form errors (a network failure is a general error too). */
export function formErrorsOf(err: unknown, formFields: readonly string[]): FormErrors {
  if (err instanceof ApiError) return toFormErrors(err.errors, formFields);
  return { fields: {}, general: ['The server could not be reached. Check your connection.'] };
}
