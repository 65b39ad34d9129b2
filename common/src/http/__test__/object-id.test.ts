import { Types } from 'mongoose';
import { OBJECT_ID_PATTERN, isObjectId } from '../object-id';

describe('isObjectId', () => {
  it('accepts the ids the store makes, in either case', () => {
    const id = new Types.ObjectId().toString();
    expect(isObjectId(id)).toBe(true);
    expect(isObjectId(id.toUpperCase())).toBe(true);
  });

  it('refuses other lengths, other characters and other types', () => {
    expect(isObjectId('a'.repeat(23))).toBe(false);
    expect(isObjectId('a'.repeat(25))).toBe(false);
    expect(isObjectId('g'.repeat(24))).toBe(false);
    expect(isObjectId(` ${'a'.repeat(24)}`)).toBe(false);
    expect(isObjectId(12)).toBe(false);
    expect(isObjectId(undefined)).toBe(false);
  });

  it('is the same rule as the pattern documents carry', () => {
    expect(new RegExp(OBJECT_ID_PATTERN).test('0123456789abcdefABCDEF01')).toBe(true);
  });
});
