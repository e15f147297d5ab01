// Member QR tokens: short-lived, signed with the business's secret, so a screenshot stops working after a while and
// a token of one business means nothing in another. Format: K1.<member id hex>.<expiry, unix s, base36>.<mac>.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { DomainError } from '../core/index.js';

const TOKEN_RE = /^K1\.([0-9a-f]{32})\.([0-9a-z]{1,10})\.([A-Za-z0-9_-]{22})$/;

const mac = (secret: string, body: string) => createHmac('sha256', secret).update(body).digest().subarray(0, 16);

export function signQrToken(secret: string, memberId: string, expiresAt: Date): string {
  const body = `${memberId.replace(/-/g, '').toLowerCase()}.${Math.floor(expiresAt.getTime() / 1000).toString(36)}`;
  return `K1.${body}.${mac(secret, body).toString('base64url')}`;
}

/** The member id a token names, or invalid_qr_token when it is malformed, forged or expired. */
export function verifyQrToken(secret: string, token: string, now: Date): string {
  const m = typeof token === 'string' ? TOKEN_RE.exec(token.trim()) : null;
  if (!m) throw new DomainError('invalid_qr_token');
  const [, hex = '', exp = '', sig = ''] = m;
  const expected = mac(secret, `${hex}.${exp}`);
  const given = Buffer.from(sig, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw new DomainError('invalid_qr_token');
  if (parseInt(exp, 36) * 1000 <= now.getTime()) throw new DomainError('invalid_qr_token', 'The QR code has expired; ask the customer to refresh it');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

