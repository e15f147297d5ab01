import { describe, expect, it } from 'vitest';
import type { DomainError } from '../core/index.js';
import { signQrToken, verifyQrToken } from './qrCodec.js';

const member = '01a20771-32a6-7b76-a0fd-74d4d388d090';
const now = new Date('2026-03-10T09:00:00Z');
const code = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    return (e as DomainError).code;
  }
  return 'ok';
};

describe('member QR tokens', () => {
  it('carry only letters, digits, - and _, and name their member until they expire', () => {
    const token = signQrToken('secret-a', member, new Date(now.getTime() + 60_000));
    expect(token).toMatch(/^[A-Za-z0-9_-]{50}$/);
    expect(verifyQrToken('secret-a', token, now)).toBe(member);
    expect(code(() => verifyQrToken('secret-a', token, new Date(now.getTime() + 60_000)))).toBe('invalid_qr_token');
  });

  it('refuse another business\'s secret, any changed character and anything malformed', () => {
    const token = signQrToken('secret-a', member, new Date(now.getTime() + 60_000));
    expect(code(() => verifyQrToken('secret-b', token, now))).toBe('invalid_qr_token');
    for (let i = 2; i < token.length; i++) {
      const c = token[i] === 'A' ? 'B' : 'A';
      expect(code(() => verifyQrToken('secret-a', token.slice(0, i) + c + token.slice(i + 1), now)), `position ${i}`).toBe('invalid_qr_token');
    }
    for (const bad of ['', 'k1', token.slice(0, -1), `${token}A`, token.replace('k1', 'K1'), `${token.slice(0, 10)}.${token.slice(11)}`]) {
      expect(code(() => verifyQrToken('secret-a', bad, now)), bad).toBe('invalid_qr_token');
    }
  });
});
