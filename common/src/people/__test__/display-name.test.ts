import { UNKNOWN_PERSON, displayName } from '../display-name';

describe('displayName', () => {
  it('joins the first and last name, trimmed', () => {
    expect(
      displayName({ firstName: ' Ada ', lastName: 'Lovelace ', email: 'ada@example.com' }),
    ).toBe('Ada Lovelace');
  });

  it('uses whichever half of the name there is', () => {
    expect(displayName({ firstName: 'Ada', lastName: null, email: 'ada@example.com' })).toBe('Ada');
    expect(displayName({ lastName: 'Lovelace', email: 'ada@example.com' })).toBe('Lovelace');
  });

  it('falls back to the whole email when the name is empty or blank', () => {
    expect(displayName({ firstName: '  ', lastName: '', email: 'ada@example.com' })).toBe(
      'ada@example.com',
    );
  });

  it('names nobody with the stand-in, or the one the caller gives', () => {
    expect(displayName(null)).toBe(UNKNOWN_PERSON);
    expect(displayName(undefined, 'Someone')).toBe('Someone');
    expect(displayName({ firstName: null, email: '' }, 'Someone')).toBe('Someone');
  });
});
