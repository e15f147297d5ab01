import { describe, expect, it } from 'vitest';
import { DUMMY_HASH, checkPassword, hashPassword, verifyPassword } from './passwords.js';

describe('staff passwords', () => {
  it('hash with scrypt and a fresh salt, verify the right password only', async () => {
    const a = await hashPassword('correct horse battery');
    const b = await hashPassword('correct horse battery');
    expect(a).toMatch(/^scrypt\$32768\$8\$1\$/);
    expect(a).not.toBe(b);
    expect(await verifyPassword('correct horse battery', a)).toBe(true);
    expect(await verifyPassword('correct horse batterY', a)).toBe(false);
    expect(await verifyPassword('anything at all', DUMMY_HASH)).toBe(false);
    expect(await verifyPassword('x', 'md5$abc')).toBe(false);
    expect(() => checkPassword('short')).toThrow(/10–200/);
  });
});
