import { ApiError, errorsFromBody, formErrorsOf, toFormErrors } from '../api-errors';

describe('errorsFromBody', () => {
  it('keeps the messages and fields of the suite error shape', () => {
    const body = { errors: [{ message: 'Email in use', field: 'email' }, { message: 'Nope' }] };
    expect(errorsFromBody(400, body)).toEqual([
      { message: 'Email in use', field: 'email' },
      { message: 'Nope' },
    ]);
  });

  it('turns a body of another shape into one general error for the status', () => {
    expect(errorsFromBody(429, '<html>')).toEqual([
      { message: 'Too many requests. Wait a moment and try again.' },
    ]);
    expect(errorsFromBody(502, null)[0]?.message).toMatch(/Something went wrong \(502\)/);
  });

  it('drops malformed entries but keeps the good ones', () => {
    const body = { errors: [{ field: 'x' }, 'text', { message: 'Title is required', field: '' }] };
    expect(errorsFromBody(400, body)).toEqual([{ message: 'Title is required' }]);
  });
});

describe('toFormErrors', () => {
  it('puts each error beside its field, the first message winning', () => {
    const errors = toFormErrors(
      [
        { message: 'Title is required', field: 'title' },
        { message: 'Title is too long', field: 'title' },
        { message: 'Price must be positive', field: 'price' },
      ],
      ['title', 'price'],
    );
    expect(errors).toEqual({
      fields: { title: 'Title is required', price: 'Price must be positive' },
      general: [],
    });
  });

  it('matches nested API fields by their last part when the form names it so', () => {
    const errors = toFormErrors([{ message: 'Bad theme', field: 'preferences.theme' }], ['theme']);
    expect(errors.fields).toEqual({ theme: 'Bad theme' });
  });

  it('shows errors for fields the form does not have, and field-less ones, above the form', () => {
    const errors = toFormErrors(
      [
        { message: 'Not allowed' },
        { message: 'Unknown field', field: 'customFields' },
        { message: 'Not allowed' },
      ],
      ['title'],
    );
    expect(errors).toEqual({ fields: {}, general: ['Not allowed', 'Unknown field'] });
  });

  it('reports a network failure as a general error', () => {
    expect(formErrorsOf(new TypeError('fetch failed'), ['title']).general[0]).toMatch(
      /could not be reached/,
    );
    const apiError = new ApiError(400, [{ message: 'Required', field: 'title' }]);
    expect(formErrorsOf(apiError, ['title']).fields.title).toBe('Required');
  });
});
