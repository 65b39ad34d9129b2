import { customFieldsPatch, parseValue, toRows } from '../custom-fields';

describe('custom fields', () => {
  it('keeps numbers and booleans typed, the rest as text', () => {
    expect(parseValue('42')).toBe(42);
    expect(parseValue('-1.5')).toBe(-1.5);
    expect(parseValue('true')).toBe(true);
    expect(parseValue('False')).toBe('False');
    expect(parseValue('2026-11-22')).toBe('2026-11-22');
    expect(parseValue('')).toBe('');
  });

  it('sends only what changed, and null for a removed field', () => {
    const before = { estimate: 3, area: 'api', blocked: false };
    const rows = [
      ...toRows(before).filter((r) => r.name !== 'area'),
      { name: 'owner', value: 'ops' },
    ];
    rows[0] = { name: 'estimate', value: '5' };
    expect(customFieldsPatch(before, rows)).toEqual({ area: null, estimate: 5, owner: 'ops' });
  });

  it('sends nothing when nothing changed, and ignores rows without a name', () => {
    const before = { estimate: 3 };
    expect(customFieldsPatch(before, [...toRows(before), { name: ' ', value: 'x' }])).toEqual({});
  });
});
