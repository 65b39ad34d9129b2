import { hashPassword, UNMATCHABLE_HASH, verifyPassword } from '../password';

describe('password hashing', () => {
  it('stores a salted scrypt hash that verifies only the right password', async () => {
    const hash = await hashPassword('correct horse battery');
    expect(hash).toMatch(/^scrypt\$16384\$8\$1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
    expect(hash).not.toContain('correct horse battery');
    await expect(verifyPassword('correct horse battery', hash)).resolves.toBe(true);
    await expect(verifyPassword('correct horse batterY', hash)).resolves.toBe(false);
  });

  it('salts every hash differently', async () => {
    const [a, b] = await Promise.all([
      hashPassword('same password'),
      hashPassword('same password'),
    ]);
    expect(a).not.toBe(b);
  });

  it('treats the same text in another Unicode form as the same password', async () => {
    const hash = await hashPassword('caf\u00e9 au lait');
    await expect(verifyPassword('cafe\u0301 au lait', hash)).resolves.toBe(true);
  });

  it('rejects malformed or foreign hashes instead of throwing', async () => {
    for (const stored of [
      '',
      'plain text',
      'bcrypt$2b$10$abc',
      'scrypt$99999999999$8$1$c2FsdA==$aGFzaA==',
    ]) {
      await expect(verifyPassword('anything at all', stored)).resolves.toBe(false);
    }
  });

  it('never matches the hash used for unknown emails', async () => {
    await expect(verifyPassword('', UNMATCHABLE_HASH)).resolves.toBe(false);
    await expect(verifyPassword('correct horse battery', UNMATCHABLE_HASH)).resolves.toBe(false);
  });
});
